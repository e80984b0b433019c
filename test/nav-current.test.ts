// The nav marks one section: the longest link the page is under (app/_components/nav-current.ts).
import { describe, expect, it } from 'vitest';
import { currentHref } from '@/app/_components/nav-current';

const links = ['/label', '/admin/projects', '/admin/rounds', '/research', '/research/quality', '/admin/gold'];

describe('currentHref', () => {
  it('marks Quality alone on the quality pages, Research alone on research', () => {
    expect(currentHref('/research/quality', links)).toBe('/research/quality');
    expect(currentHref('/research/quality/sets/abc', links)).toBe('/research/quality');
    expect(currentHref('/research', links)).toBe('/research');
  });
  it('matches whole path segments only, and nothing off the nav', () => {
    expect(currentHref('/admin/projects/p1', links)).toBe('/admin/projects');
    expect(currentHref('/labelers', links)).toBeNull();
    expect(currentHref('/account/tokens', links)).toBeNull();
  });
});
