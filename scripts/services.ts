// Checks that Postgres and Redis answer before anything starts, and says which one does not,
// at what address, and how to start it, instead of a stack trace.
import net from 'node:net';
import pg from 'pg';
import { env } from '../lib/env';

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

function tcpProbe(host: string, port: number, timeoutMs = 2000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (err: string | null) => {
      socket.destroy();
      resolve(err);
    };
    socket.setTimeout(timeoutMs, () => done('timed out'));
    socket.once('connect', () => done(null));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

async function redisPing(url: string): Promise<string | null> {
  const u = new URL(url);
  const port = Number(u.port || 6379);
  const tcp = await tcpProbe(u.hostname, port);
  if (tcp) return tcp;
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port }, () => {
      const auth = u.password ? `AUTH ${decodeURIComponent(u.password)}\r\n` : '';
      socket.write(`${auth}PING\r\n`);
    });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve('no answer to PING');
    });
    socket.on('data', (buf) => {
      const text = buf.toString();
      socket.destroy();
      resolve(text.includes('PONG') ? null : `unexpected answer: ${text.trim()}`);
    });
    socket.on('error', (e) => resolve(e.message));
  });
}

async function postgresCheck(url: string): Promise<string | null> {
  const u = new URL(url);
  const tcp = await tcpProbe(u.hostname, Number(u.port || 5432));
  if (tcp) return tcp;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Prints a clear message for each service that does not answer; true when all do. */
export async function checkServices(
  which: { postgres?: boolean; redis?: boolean; databaseUrl?: string; redisUrl?: string; print?: (msg: string) => void } = {},
): Promise<boolean> {
  const e = { DATABASE_URL: which.databaseUrl ?? env().DATABASE_URL, REDIS_URL: which.redisUrl ?? env().REDIS_URL };
  const print = which.print ?? ((m: string) => console.error(m));
  let ok = true;
  if (which.postgres !== false) {
    const err = await postgresCheck(e.DATABASE_URL);
    if (err) {
      ok = false;
      print(
        `\nPostgres is not reachable at ${redact(e.DATABASE_URL)} (${err}).\n` +
          `  Start it with one of:\n` +
          `    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   # local Debian service\n` +
          `    docker compose up -d postgres                                             # with Docker\n` +
          `  or point DATABASE_URL at a running server.\n`,
      );
    }
  }
  if (which.redis !== false) {
    const err = await redisPing(e.REDIS_URL);
    if (err) {
      ok = false;
      print(
        `\nRedis is not reachable at ${redact(e.REDIS_URL)} (${err}).\n` +
          `  Start it with one of:\n` +
          `    redis-server --daemonize yes --bind 127.0.0.1 --port 6379   # local\n` +
          `    docker compose up -d redis                                  # with Docker\n` +
          `  or point REDIS_URL at a running server.\n`,
      );
    }
  }
  return ok;
}
