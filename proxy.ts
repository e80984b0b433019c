// Tells pages which path was requested (header x-hone-path), so lib/auth's requirePageUser can
// send a signed-out visitor to /sign-in?next=<that path>. It also refuses a page URL whose path
// or query holds a NUL character (%00) with a plain 400, as the API routes do: page ids reach
// Postgres, which cannot store NUL. Permission checks live in the pages and handlers.
import { NextResponse, type NextRequest } from 'next/server';

function hasNul(url: URL): boolean {
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return false; // malformed escapes: Next answers those itself
  }
  if (path.includes('\u0000')) return true;
  for (const [k, v] of url.searchParams) if (k.includes('\u0000') || v.includes('\u0000')) return true;
  return false;
}

export function proxy(request: NextRequest) {
  if (hasNul(request.nextUrl)) {
    return new NextResponse('Bad request: the address contains a NUL character (%00).', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const headers = new Headers(request.headers);
  headers.set('x-hone-path', request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico).*)'],
};
