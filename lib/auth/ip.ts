// The client's IP as better-auth sees it (same headers, same rules), for audit rows.
import { getIP } from 'better-auth/api';
import { auth } from './server';

export function clientIp(headers: Headers): string | null {
  return getIP(headers, auth.options);
}
