// proxy.ts in front of the pages: a NUL in a page's path or query is a 400, not a 500 from
// Postgres; other addresses pass through with x-hone-path set for sign-in redirects.
import { describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { proxy } from '../proxy';

const at = (url: string) => proxy(new NextRequest(new URL(url, 'http://localhost:3000')));

describe('page proxy', () => {
  it('refuses a NUL in the path or the query with a plain 400', async () => {
    for (const url of ['/label/task/%00', '/admin/rounds/ab%00cd', '/label?project=%00', '/research?a%00=1']) {
      const res = at(url);
      expect(res.status, url).toBe(400);
      expect(await res.text()).toMatch(/NUL character/);
    }
  });

  it('lets ordinary addresses through and tells the page its path', () => {
    const res = at('/label/task/abc?next=%2Fadmin');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-middleware-request-x-hone-path')).toBe('/label/task/abc?next=%2Fadmin');
  });
});
