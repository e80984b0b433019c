// Which nav link is the current section: the longest link the path is at or under, so
// /research/quality marks Quality alone, not Research too.
export function currentHref(pathname: string, hrefs: readonly string[]): string | null {
  let best: string | null = null;
  for (const h of hrefs) {
    const under = pathname === h || pathname.startsWith(h.endsWith('/') ? h : `${h}/`);
    if (under && (!best || h.length > best.length)) best = h;
  }
  return best;
}
