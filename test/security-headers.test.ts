// The security headers of next.config.js, matched the way Next's router matches them: every
// path (pages, app/api, /v1, static files) gets CSP, frame denial, nosniff and a referrer
// policy; HSTS only when X-Forwarded-Proto says https, which lib/auth/peer-hook.ts lets only the
// socket or a trusted proxy say.
import { describe, expect, it } from 'vitest';
import { getPathMatch } from 'next/dist/shared/lib/router/utils/path-match';
import { matchHas } from 'next/dist/shared/lib/router/utils/prepare-destination';
import type { NextConfig } from 'next';
// @ts-expect-error -- next.config.js is plain JS (typed by JSDoc) and tsc here does not read JS
import config from '../next.config.js';

const nextConfig = config as NextConfig;

type HeaderRule = { source: string; has?: Parameters<typeof matchHas>[2]; headers: { key: string; value: string }[] };

async function headersFor(pathname: string, requestHeaders: Record<string, string> = {}): Promise<Map<string, string>> {
  const rules = (await nextConfig.headers!()) as HeaderRule[];
  const out = new Map<string, string>();
  for (const rule of rules) {
    if (getPathMatch(rule.source)(pathname) === false) continue;
    if (rule.has && !matchHas({ headers: requestHeaders } as never, {}, rule.has)) continue;
    for (const h of rule.headers) out.set(h.key.toLowerCase(), h.value);
  }
  return out;
}

describe('security headers', () => {
  it('are on pages, API routes, /v1 and static files', async () => {
    for (const path of ['/', '/sign-in', '/api/health', '/api/tasks/abc/submit', '/v1/chat/completions', '/_next/static/chunks/app.js']) {
      const h = await headersFor(path);
      expect(h.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(h.get('content-security-policy'), path).toContain("object-src 'none'");
      expect(h.get('x-frame-options'), path).toBe('DENY');
      expect(h.get('x-content-type-options'), path).toBe('nosniff');
      expect(h.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(h.has('strict-transport-security'), path).toBe(false);
    }
  });

  it('add HSTS only when the request came over https', async () => {
    expect((await headersFor('/api/me', { 'x-forwarded-proto': 'https' })).get('strict-transport-security')).toMatch(/^max-age=31536000/);
    expect((await headersFor('/api/me', { 'x-forwarded-proto': 'http' })).has('strict-transport-security')).toBe(false);
  });

  it('allow scripts from this origin only', async () => {
    const csp = (await headersFor('/')).get('content-security-policy')!;
    const script = csp.split('; ').find((d) => d.startsWith('script-src '))!;
    expect(script.split(' ').filter((s) => !["'self'", "'unsafe-inline'", "'unsafe-eval'"].includes(s))).toEqual(['script-src']);
    expect(csp).toContain("default-src 'self'");
  });
});
