// Helpers for integration tests that drive better-auth's HTTP handler directly (no server).
import { auth } from './server';
import { stampRequest } from './ip';
import { baseUrl } from '../env';

/**
 * Headers as the HTTP server would hand them on for a request from `ip`'s socket: stamped by
 * lib/auth/ip.ts exactly as lib/auth/peer-hook.ts stamps real requests.
 */
export function headersFrom(ip: string, init: HeadersInit = {}): Headers {
  const headers = new Headers(init);
  stampRequest(headers, ip, false);
  return headers;
}

export async function postSignIn(email: string, password: string, ip = '203.0.113.1'): Promise<Response> {
  return auth.handler(
    new Request(`${baseUrl()}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: headersFrom(ip, { 'content-type': 'application/json' }),
      body: JSON.stringify({ email, password }),
    }),
  );
}

/** The `name=value` cookie pairs a response sets, ready for a Cookie header. */
export function cookieHeader(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@test.hone`;
}
