// The one place that decides who the client is (its IP, the host it asked for, whether it came
// over https). Route handlers in Next never see the socket, and Next copies client-sent
// X-Forwarded-For/-Host/-Proto through unchanged (it only fills them in when absent), so anyone
// could claim any address. Instead, lib/auth/peer-hook.ts stamps every request at the HTTP layer,
// where the socket is known (stampRequest below):
// - a peer that is not a trusted proxy (HONE_TRUSTED_PROXIES) has its X-Forwarded-* removed, so
//   Next fills them in from the socket, and its own address is the client IP;
// - a trusted proxy's X-Forwarded-For is read right to left, skipping trusted hops.
// The decision travels in two headers the client cannot forge: x-hone-client-ip (also what
// better-auth reads, see server.ts) and x-hone-peer, which carries a per-process secret so a
// request that never passed the hook (one that arrived before the hook was installed, or a
// client-made copy) is recognised and gets no IP at all.
import { BlockList, isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import { env } from '../env';

export const CLIENT_IP_HEADER = 'x-hone-client-ip';
export const PEER_HEADER = 'x-hone-peer';
const FORWARDED_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port'];

/** Headers as the stamp needs them: Node's IncomingMessage headers and fetch Headers both fit. */
export type HeaderBag = { get(name: string): string | null; set(name: string, value: string): void; delete(name: string): void };

// Shared through globalThis: Next bundles instrumentation and route handlers separately, so this
// module can exist twice in one process.
const NONCE_KEY = Symbol.for('hone.peer-nonce');
function processNonce(): string {
  const g = globalThis as { [NONCE_KEY]?: string };
  return (g[NONCE_KEY] ??= randomBytes(16).toString('hex'));
}

/** "::ffff:192.0.2.1" → "192.0.2.1"; anything that is not an IP → null. */
export function normalizeIp(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const ip = raw.trim().toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  return isIP(ip) ? ip : null;
}

/** A BlockList of "IP" and "IP/prefix" entries (validated by lib/env). */
export function proxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [addr, prefix] = entry.split('/');
    const ip = normalizeIp(addr)!;
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, Number(prefix), family);
  }
  return list;
}

let cachedProxies: BlockList | undefined;
function trustedProxies(): BlockList {
  return (cachedProxies ??= proxyList(env().HONE_TRUSTED_PROXIES));
}

function isTrusted(ip: string | null, proxies: BlockList): boolean {
  return !!ip && proxies.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's IP given the socket's peer and the X-Forwarded-For it sent. An untrusted peer is
 * the client; a trusted proxy's chain is walked from the right past the trusted hops. A chain
 * with a malformed entry before the first untrusted hop gives the last trusted address: never a
 * value the client wrote.
 */
export function resolveClientIp(peer: string | null, forwardedFor: string | null, proxies: BlockList): string | null {
  if (!isTrusted(peer, proxies) || !forwardedFor) return peer;
  let client = peer;
  const hops = forwardedFor.split(',').map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]);
    if (!hop) return client;
    client = hop;
    if (!isTrusted(hop, proxies)) return hop;
  }
  return client;
}

/**
 * Run once per request at the HTTP layer, before Next reads the headers: see the file comment.
 * `socketAddress` is the TCP peer, `encrypted` whether the socket itself is TLS.
 */
export function stampRequest(headers: HeaderBag, socketAddress: string | undefined, encrypted: boolean, proxies = trustedProxies()): void {
  headers.delete(CLIENT_IP_HEADER);
  headers.delete(PEER_HEADER);
  const peer = normalizeIp(socketAddress);
  const viaProxy = isTrusted(peer, proxies);
  const client = resolveClientIp(peer, headers.get('x-forwarded-for'), proxies);
  if (!viaProxy) {
    for (const h of FORWARDED_HEADERS) headers.delete(h);
    if (encrypted) headers.set('x-forwarded-proto', 'https');
  }
  if (client) headers.set(CLIENT_IP_HEADER, client);
  headers.set(PEER_HEADER, `${processNonce()} ${viaProxy ? 'proxy' : 'direct'}`);
}

/** How the request reached us, or null when it did not pass stampRequest in this process. */
function peerKind(headers: Headers): 'proxy' | 'direct' | null {
  const [nonce, kind] = (headers.get(PEER_HEADER) ?? '').split(' ');
  if (nonce !== processNonce()) return null;
  return kind === 'proxy' ? 'proxy' : 'direct';
}

/** The client's IP, for sign-in limits and audit rows; null when it cannot be known. */
export function clientIp(headers: Headers): string | null {
  if (!peerKind(headers)) return null;
  return normalizeIp(headers.get(CLIENT_IP_HEADER));
}

/** The host the client asked for: a trusted proxy's X-Forwarded-Host, else Host. */
export function requestedHost(headers: Headers): string | null {
  if (peerKind(headers) === 'proxy') return headers.get('x-forwarded-host')?.split(',')[0].trim() || headers.get('host');
  return headers.get('host');
}

