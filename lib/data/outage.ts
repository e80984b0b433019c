// Tells a transient outage of Postgres or Redis (the server restarted, the connection dropped,
// nothing listens yet) from a real error. An outage is worth retrying and answers 503; a real
// error is final. Errors arrive wrapped: Prisma keeps the driver's error under
// `meta.driverAdapterError.cause`, pg and ioredis under `cause`, AggregateError under `errors`,
// so the whole chain is searched.
import { isAppError } from './errors';

// Node socket errors: nothing listens, the peer hung up, the network timed out.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);
// Prisma codes: can't reach (P1001), timed out (P1008), connection closed (P1017),
// pool timeout (P2024), too many connections (P2037).
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
// SQLSTATEs: admin shutdown / crash shutdown / cannot connect now (57P01-3), class 08
// connection exceptions, too many connections (53300).
const SQLSTATE = /^(57P0[123]|08[0-9A-Z]{3}|53300)$/;
// Driver-adapter kinds Prisma maps socket errors to.
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// Messages of errors that carry no code: pg's dropped connections and connect timeout, ioredis'
// closed connection and offline queue, BullMQ's closed connection, our own deadlines.
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /terminating connection due to administrator command/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /is not currently accepting connections/i, // ALTER DATABASE … ALLOW_CONNECTIONS false, for maintenance
  /Can't reach database server/i,
  /Server has closed the connection/i,
  /Connection is closed/i,
  /Reached the max retries per request limit/i,
  /Stream isn't writeable/i,
  /enableOfflineQueue/i,
];
const NAMES = new Set(['MaxRetriesPerRequestError', 'ConnectionClosedError', 'OutageTimeoutError']);

/** An enqueue or query that did not answer within its deadline. */
export class OutageTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${(ms / 1000).toFixed(1)} s`);
    this.name = 'OutageTimeoutError';
  }
}

function looksTransient(e: Record<string, unknown>): boolean {
  const code = typeof e.code === 'string' ? e.code : typeof e.originalCode === 'string' ? e.originalCode : null;
  if (code && (SOCKET_CODES.has(code) || PRISMA_CODES.has(code) || SQLSTATE.test(code))) return true;
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.name === 'string' && NAMES.has(e.name)) return true;
  const message = typeof e.message === 'string' ? e.message : typeof e.originalMessage === 'string' ? e.originalMessage : '';
  return MESSAGES.some((m) => m.test(message));
}

/** True when `err` (or anything it wraps) says Postgres or Redis is unreachable for now. */
export function isTransientOutage(err: unknown): boolean {
  if (isAppError(err)) return err.code === 'UNAVAILABLE';
  const seen = new Set<unknown>();
  const stack: unknown[] = [err];
  while (stack.length) {
    const e = stack.pop();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const o = e as Record<string, unknown>;
    if (looksTransient(o)) return true;
    stack.push(o.cause, (o.meta as Record<string, unknown> | undefined)?.driverAdapterError, o.driverAdapterError);
    if (Array.isArray(o.errors)) stack.push(...o.errors);
  }
  return false;
}

/** Rejects with OutageTimeoutError when `work` has not settled within `ms`. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OutageTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export const DATABASE_UNREACHABLE = 'The database is unreachable right now; try again in a few seconds.';
export const QUEUE_UNREACHABLE = 'The job queue (Redis) is unreachable right now; try again in a few seconds.';
/** Seconds a client should wait before retrying a request refused by an outage. */
export const OUTAGE_RETRY_AFTER_S = 5;

/** What a person is told about an outage: the AppError's own message, else which service is down. */
export function outageMessage(err: unknown): string {
  if (isAppError(err)) return err.message;
  const text = `${(err as Error)?.name ?? ''} ${(err as Error)?.message ?? ''}`;
  return /MaxRetriesPerRequest|Stream isn't writeable|enableOfflineQueue|Connection is closed|ConnectionClosedError/i.test(text) ? QUEUE_UNREACHABLE : DATABASE_UNREACHABLE;
}
