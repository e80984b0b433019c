import { describe, expect, it } from 'vitest';
import { checkServices } from './services';

describe('checkServices', () => {
  it('says which service is down, where, and how to start it', async () => {
    const lines: string[] = [];
    const ok = await checkServices({
      databaseUrl: 'postgresql://postgres@127.0.0.1:1/hone',
      redisUrl: 'redis://127.0.0.1:2',
      print: (m) => lines.push(m),
    });
    expect(ok).toBe(false);
    const text = lines.join('\n');
    expect(text).toMatch(/Postgres is not reachable at postgresql:\/\/postgres@127\.0\.0\.1:1\/hone \(ECONNREFUSED\)/);
    expect(text).toMatch(/pg_ctlcluster/);
    expect(text).toMatch(/Redis is not reachable at redis:\/\/127\.0\.0\.1:2 \(ECONNREFUSED\)/);
    expect(text).toMatch(/docker compose up -d redis/);
  });

  it('passes when both answer', async () => {
    const lines: string[] = [];
    expect(await checkServices({ print: (m) => lines.push(m) })).toBe(true);
    expect(lines).toEqual([]);
  });
});
