// Tells pages which path was requested (header x-hone-path), so lib/auth's requirePageUser can
// send a signed-out visitor to /sign-in?next=<that path>. Nothing else happens here: permission
// checks live in the pages and handlers.
import { NextResponse, type NextRequest } from 'next/server';

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set('x-hone-path', request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico).*)'],
};
