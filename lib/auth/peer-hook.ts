// Stamps every HTTP request this process serves with the client decision of lib/auth/ip.ts, at
// the one moment the socket is known: Node's `http.server.request.start` diagnostics channel
// fires synchronously after the headers are parsed and before the server's 'request' event,
// i.e. before Next reads anything. Installed once per process by instrumentation.ts.
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { stampRequest, type HeaderBag } from './ip';

const INSTALLED = Symbol.for('hone.peer-hook');

function bagOf(req: IncomingMessage): HeaderBag {
  return {
    get: (name) => {
      const v = req.headers[name];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
    set: (name, value) => {
      req.headers[name] = value;
    },
    delete: (name) => {
      delete req.headers[name];
    },
  };
}

export function installPeerHook(): void {
  const g = globalThis as { [INSTALLED]?: boolean };
  if (g[INSTALLED]) return;
  g[INSTALLED] = true;
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    const socket = request.socket as Partial<TLSSocket>;
    stampRequest(bagOf(request), socket.remoteAddress, socket.encrypted === true);
  });
}
