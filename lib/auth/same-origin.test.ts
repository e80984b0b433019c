// The CSRF check on cookie-authenticated writes: cross-site and opaque (Origin: null) requests
// are refused before the session is even looked at; X-Forwarded-Host counts only from a trusted
// proxy; clients that send neither Origin nor Sec-Fetch-Site (curl, scripts) get through.
import { describe, expect, it } from 'vitest';
import { authenticate } from './api';
import { proxyList, stampRequest } from './ip';

function write(headers: Record<string, string>, peer = '198.51.100.20', trusted: string[] = []): Request {
  const h = new Headers({ cookie: 'better-auth.session_token=nothing', host: 'hone.example', ...headers });
  stampRequest(h, peer, false, proxyList(trusted));
  return new Request('http://hone.example/api/tokens', { method: 'POST', headers: h });
}

describe('assertSameOrigin', () => {
  it('refuses Origin: null, with or without Sec-Fetch-Site', async () => {
    await expect(authenticate(write({ origin: 'null' }))).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Origin: null') });
    await expect(authenticate(write({ origin: 'null', 'sec-fetch-site': 'same-origin' }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a cross-site Origin even when X-Forwarded-Host from an untrusted peer claims it', async () => {
    const forged = write({ origin: 'https://evil.example', 'x-forwarded-host': 'evil.example' });
    await expect(authenticate(forged)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Cross-site requests are not allowed.' });
  });

  it('believes X-Forwarded-Host from a trusted proxy', async () => {
    const viaProxy = write({ origin: 'https://hone.example', 'x-forwarded-host': 'hone.example', host: '10.0.0.9:3000' }, '10.0.0.5', ['10.0.0.5']);
    // Past the origin check, the fake session cookie is simply not a session.
    await expect(authenticate(viaProxy)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const direct = write({ origin: 'https://hone.example', 'x-forwarded-host': 'hone.example', host: '10.0.0.9:3000' });
    const directUrl = new Request('http://10.0.0.9:3000/api/tokens', { method: 'POST', headers: direct.headers });
    await expect(authenticate(directUrl)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets same-origin browsers and non-browser clients through to the session check', async () => {
    await expect(authenticate(write({ origin: 'http://hone.example', 'sec-fetch-site': 'same-origin' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(authenticate(write({}))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
