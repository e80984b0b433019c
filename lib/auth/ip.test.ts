// Who the client is: a socket peer that is not a trusted proxy is the client, whatever
// X-Forwarded-* it sends; a trusted proxy's chain is read from the right. Checked on the pure
// decision and on a real HTTP server with the hook installed, the way Next's server runs it.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CLIENT_IP_HEADER, clientIp, proxyList, requestedHost, resolveClientIp, stampRequest } from './ip';
import { installPeerHook } from './peer-hook';
import { isIpOrCidr } from '../env';

const proxies = proxyList(['10.0.0.5', '10.1.0.0/16', '2001:db8::/32']);

function stamped(peer: string, init: Record<string, string>, encrypted = false): Headers {
  const h = new Headers(init);
  stampRequest(h, peer, encrypted, proxies);
  return h;
}

describe('HONE_TRUSTED_PROXIES entries', () => {
  it('accepts IPs and CIDR ranges, and nothing else', () => {
    for (const ok of ['10.0.0.5', '10.1.0.0/16', '2001:db8::/32', '::1', '0.0.0.0/0']) expect(isIpOrCidr(ok)).toBe(true);
    for (const bad of ['proxy.local', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8/1', '2001:db8::/129', '10.0.0.256', '']) expect(isIpOrCidr(bad)).toBe(false);
  });
});

describe('resolveClientIp', () => {
  it('takes an untrusted peer as the client, ignoring its X-Forwarded-For', () => {
    expect(resolveClientIp('198.51.100.7', '1.2.3.4', proxies)).toBe('198.51.100.7');
  });
  it('walks a trusted proxy chain from the right past trusted hops', () => {
    expect(resolveClientIp('10.0.0.5', 'spoofed, 198.51.100.7, 10.1.2.3', proxies)).toBe('198.51.100.7');
    expect(resolveClientIp('10.0.0.5', null, proxies)).toBe('10.0.0.5');
    expect(resolveClientIp('10.0.0.5', '10.1.9.9', proxies)).toBe('10.1.9.9');
  });
  it('never returns a malformed hop', () => {
    expect(resolveClientIp('10.0.0.5', '198.51.100.7, not-an-ip', proxies)).toBe('10.0.0.5');
  });
});

describe('stampRequest and its readers', () => {
  it('drops every X-Forwarded-* header of an untrusted peer and uses the socket address', () => {
    const h = stamped('::ffff:198.51.100.7', { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', host: 'hone.example' });
    expect(clientIp(h)).toBe('198.51.100.7');
    expect(h.get('x-forwarded-for')).toBeNull();
    expect(h.get('x-forwarded-proto')).toBeNull();
    expect(requestedHost(h)).toBe('hone.example');
  });
  it('marks a TLS socket as https', () => {
    expect(stamped('198.51.100.7', {}, true).get('x-forwarded-proto')).toBe('https');
  });
  it('believes a trusted proxy about the client, the host and the scheme', () => {
    const h = stamped('10.0.0.5', { 'x-forwarded-for': '198.51.100.7', 'x-forwarded-host': 'hone.example', 'x-forwarded-proto': 'https', host: '10.0.0.9:3000' });
    expect(clientIp(h)).toBe('198.51.100.7');
    expect(requestedHost(h)).toBe('hone.example');
    expect(h.get('x-forwarded-proto')).toBe('https');
  });
  it('gives no IP to headers that did not pass the stamp, even if they carry its header names', () => {
    const forged = new Headers({ [CLIENT_IP_HEADER]: '1.2.3.4', 'x-hone-peer': 'guess proxy', 'x-forwarded-host': 'evil.example', host: 'hone.example' });
    expect(clientIp(forged)).toBeNull();
    expect(requestedHost(forged)).toBe('hone.example');
    const restamped = stamped('198.51.100.7', Object.fromEntries(forged));
    expect(clientIp(restamped)).toBe('198.51.100.7');
  });
});

describe('the peer hook on a real HTTP server', () => {
  it('overwrites a client-sent X-Forwarded-For and client IP header before the handler sees them', async () => {
    installPeerHook();
    let seen: IncomingHttpHeaders = {};
    const server = createServer((req, res) => {
      seen = req.headers;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '1.2.3.4', [CLIENT_IP_HEADER]: '5.6.7.8', 'x-forwarded-host': 'evil.example' } });
    } finally {
      server.close();
    }
    expect(seen['x-forwarded-for']).toBeUndefined();
    expect(seen['x-forwarded-host']).toBeUndefined();
    expect(seen[CLIENT_IP_HEADER]).toBe('127.0.0.1');
    expect(clientIp(new Headers(seen as Record<string, string>))).toBe('127.0.0.1');
  });
});
