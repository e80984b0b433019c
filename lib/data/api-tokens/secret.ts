// API token secrets: `hone_` + base64url(32 random bytes). Only sha256(secret) is stored, plus
// a short prefix that lets people tell their tokens apart.
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PREFIX = 'hone_';
const SECRET_RE = /^hone_[A-Za-z0-9_-]{43}$/;

export function newSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** What lists show: "hone_AbCd1234". */
export function displayPrefix(secret: string): string {
  return secret.slice(0, TOKEN_PREFIX.length + 8);
}

export function looksLikeSecret(s: string): boolean {
  return SECRET_RE.test(s);
}
