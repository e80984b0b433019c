// A small fixed-window counter on the RateLimit table, used to throttle failed sign-ins per
// account and per IP. One row per key; `lastRequest` holds the start of the current window
// (epoch ms). Counting is a single atomic upsert, so concurrent attempts never lose a count.
// Sign-in reserves a slot (reserveLimit) BEFORE the password is checked: the upsert takes the
// slot only while the count is under the limit, so 30 parallel attempts evaluate at most `max`
// passwords; a slot that turns out not to be a failure is given back (releaseLimit).
import { prisma } from '../db';
import { randomUUID } from 'node:crypto';

export type Window = { max: number; windowMs: number };

export type LimitState = {
  /** Attempts counted in the current window. */
  count: number;
  /** True once `count` has reached `max`: further attempts are refused until `resetAt`. */
  blocked: boolean;
  /** When the current window ends (epoch ms). */
  resetAt: number;
};

/** Sign-in throttling policy: failed attempts per account and per IP, fixed 10-minute windows. */
export const SIGN_IN_LIMITS = {
  account: { max: 5, windowMs: 10 * 60_000 },
  ip: { max: 20, windowMs: 10 * 60_000 },
} as const satisfies Record<string, Window>;

type Row = { count: number; lastRequest: bigint };

/** Reads a key's state without counting. An expired window reads as empty. */
export async function peekLimit(key: string, w: Window, now = Date.now()): Promise<LimitState> {
  const row = await prisma.rateLimit.findUnique({ where: { key }, select: { count: true, lastRequest: true } });
  return toState(row, w, now);
}

/**
 * Takes one slot of `key` if the window has room, in one statement (row-locked by Postgres, so
 * parallel callers cannot both take the last slot). Returns the state after it; `reserved` is
 * false, and nothing changed, when the window was already full.
 */
export async function reserveLimit(key: string, w: Window, now = Date.now()): Promise<LimitState & { reserved: boolean }> {
  const windowStartBefore = BigInt(now - w.windowMs);
  const rows = await prisma.$queryRaw<Row[]>`
    INSERT INTO "RateLimit" ("id", "key", "count", "lastRequest")
    VALUES (${randomUUID()}, ${key}, 1, ${BigInt(now)})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."lastRequest" <= ${windowStartBefore} THEN 1 ELSE "RateLimit"."count" + 1 END,
      "lastRequest" = CASE WHEN "RateLimit"."lastRequest" <= ${windowStartBefore} THEN ${BigInt(now)} ELSE "RateLimit"."lastRequest" END
    WHERE "RateLimit"."lastRequest" <= ${windowStartBefore} OR "RateLimit"."count" < ${w.max}
    RETURNING "count", "lastRequest"`;
  if (rows[0]) return { ...toState(rows[0], w, now), reserved: true };
  return { ...(await peekLimit(key, w, now)), blocked: true, reserved: false };
}

/** Gives back a slot taken by reserveLimit, if its window is still the current one. */
export async function releaseLimit(key: string, w: Window, now = Date.now()): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "RateLimit" SET "count" = GREATEST("count" - 1, 0)
    WHERE "key" = ${key} AND "lastRequest" > ${BigInt(now - w.windowMs)}`;
}

/** Forgets a key (e.g. the account's failures after a successful sign-in). */
export async function clearLimit(key: string): Promise<void> {
  await prisma.rateLimit.deleteMany({ where: { key } });
}

function toState(row: Row | null, w: Window, now: number): LimitState {
  if (!row) return { count: 0, blocked: false, resetAt: now + w.windowMs };
  const start = Number(row.lastRequest);
  if (start <= now - w.windowMs) return { count: 0, blocked: false, resetAt: now + w.windowMs };
  return { count: row.count, blocked: row.count >= w.max, resetAt: start + w.windowMs };
}

/** Whole minutes until `resetAt`, at least 1: for "try again in N minutes". */
export function minutesUntil(resetAt: number, now = Date.now()): number {
  return Math.max(1, Math.ceil((resetAt - now) / 60_000));
}
