import { afterAll, describe, expect, it } from 'vitest';
import { redisHealth } from './health';
import { closeQueues } from './connection';

afterAll(async () => {
  await closeQueues();
  (globalThis as unknown as { honePingClient?: { disconnect(): void } }).honePingClient?.disconnect();
});

describe('redisHealth', () => {
  it('answers PONG from the real Redis, also on the first call of the process', async () => {
    const first = await redisHealth();
    expect(first).toMatchObject({ ok: true });
    expect((await redisHealth()).ok).toBe(true);
  });
});
