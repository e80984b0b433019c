// Routes while Postgres and Redis are both down (this file points both at a closed port): every
// request answers 503 UNAVAILABLE with Retry-After within about 2 s, never a 500 and never a
// hang, whether it authenticates with a token, a session cookie, or not at all.
import { describe, expect, it, vi } from 'vitest';
import { createHmac } from 'node:crypto';

vi.hoisted(() => {
  process.env.DATABASE_URL = 'postgresql://postgres@127.0.0.1:1/nothing_listens_here';
  process.env.REDIS_URL = 'redis://127.0.0.1:1';
});

import { POST as nextTask } from '@/app/api/tasks/next/route';
import { POST as launch } from '@/app/api/rounds/route';
import { POST as createExportJob } from '@/app/api/export-jobs/route';
import { GET as health } from '@/app/api/health/route';

const B = 'http://localhost:3000';
const noParams = { params: Promise.resolve({}) };
const json = (path: string, headers: Record<string, string>, body: unknown) =>
  new Request(`${B}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: B, ...headers }, body: JSON.stringify(body) });

async function timed(work: () => Promise<Response>): Promise<{ ms: number; res: Response }> {
  const t0 = performance.now();
  const res = await work();
  return { ms: performance.now() - t0, res };
}

describe('with Postgres and Redis down', () => {
  // Well-formed credentials, so that checking them needs the database.
  const bearer = { authorization: `Bearer hone_${'A'.repeat(43)}` };
  const token = 'a'.repeat(32);
  const signature = createHmac('sha256', process.env.BETTER_AUTH_SECRET!).update(token).digest('base64');
  const cookie = { cookie: `better-auth.session_token=${encodeURIComponent(`${token}.${signature}`)}` };
  const cases: [string, () => Promise<Response>][] = [
    ['next task, token', () => nextTask(json('/api/tasks/next', bearer, { projectId: 'p' }), noParams)],
    ['next task, session cookie', () => nextTask(json('/api/tasks/next', cookie, { projectId: 'p' }), noParams)],
    ['launch, token', () => launch(json('/api/rounds', bearer, { projectId: 'p', stages: ['sft'] }), noParams)],
    ['export job, session cookie', () => createExportJob(json('/api/export-jobs', cookie, { format: 'sft-messages', filter: {} }), noParams)],
  ];
  for (const [name, call] of cases) {
    it(`${name}: 503 UNAVAILABLE with Retry-After within about 2 s`, async () => {
      const { ms, res } = await timed(call);
      const body = await res.json();
      expect({ status: res.status, code: body.error?.code }).toEqual({ status: 503, code: 'UNAVAILABLE' });
      expect(res.headers.get('Retry-After')).toBe('5');
      expect(ms).toBeLessThan(3000);
    });
  }

  it('/api/health answers not-ok within about 2 s', async () => {
    const { ms, res } = await timed(() => health(new Request(`${B}/api/health`)));
    expect(res.status).toBe(503);
    expect((await res.json()).ok).toBe(false);
    expect(ms).toBeLessThan(3000);
  });
});
