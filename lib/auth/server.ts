// The better-auth instance: email + password (better-auth's scrypt hash: N=16384, r=16, p=1,
// i.e. 32 MiB per hash — memory-hard), sessions stored in Postgres through the Prisma adapter,
// no public sign-up (admins create accounts, see lib/data/users/create-user.ts). Session tokens are
// stored hashed (hashed-session-tokens.ts).
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError } from 'better-auth/api';
import { nextCookies } from 'better-auth/next-js';
import { prisma } from '../db';
import { baseUrl, env } from '../env';
import { hashSessionTokens, revokeOtherHashedSessions } from './hashed-session-tokens';
import { CLIENT_IP_HEADER } from './ip';
import { signInLimits } from './sign-in-limits';

export const MIN_PASSWORD_LENGTH = 10;
export const ACCOUNT_DEACTIVATED = 'ACCOUNT_DEACTIVATED';
export const DEACTIVATED_MESSAGE = 'This account has been deactivated. Ask an admin to reactivate it.';

function trustedOrigins(): string[] {
  const port = env().PORT;
  return [...new Set([baseUrl(), `http://localhost:${port}`, `http://127.0.0.1:${port}`])];
}

export const auth = betterAuth({
  appName: 'Hone',
  baseURL: baseUrl(),
  basePath: '/api/auth',
  secret: env().BETTER_AUTH_SECRET,
  trustedOrigins: trustedOrigins(),
  database: hashSessionTokens(prismaAdapter(prisma, { provider: 'postgresql' })),
  emailAndPassword: {
    enabled: true,
    disableSignUp: true,
    minPasswordLength: MIN_PASSWORD_LENGTH,
    maxPasswordLength: 256,
  },
  user: {
    additionalFields: {
      // Neither can be set through any better-auth endpoint; admins change them through
      // lib/data/users.
      role: { type: ['LABELER', 'ADMIN', 'RESEARCHER'], required: false, defaultValue: 'LABELER', input: false },
      active: { type: 'boolean', required: false, defaultValue: true, input: false },
    },
    changeEmail: { enabled: false },
    deleteUser: { enabled: false },
  },
  session: {
    expiresIn: 60 * 60 * 24 * 7,
    updateAge: 60 * 60 * 24,
    // No cookie cache: every request reads the session row, so deleting a deactivated user's
    // sessions takes effect at once.
    cookieCache: { enabled: false },
  },
  // A flood guard on the HTTP endpoints, per IP and per process. Failed sign-ins have their own
  // stricter per-account and per-IP limits in Postgres (signInLimits). This one stays in memory:
  // better-auth's database storage prunes every RateLimit row older than its own (1-minute)
  // windows, which would wipe our 10-minute counters in the same table.
  rateLimit: {
    enabled: true,
    storage: 'memory',
    window: 60,
    max: 300,
    customRules: {
      '/sign-in/email': { window: 60, max: env().HONE_SIGN_IN_PER_MINUTE },
      '/get-session': false,
    },
  },
  databaseHooks: {
    session: {
      create: {
        // Runs after the password was verified: a deactivated account gets a clear refusal.
        before: async (session) => {
          const user = await prisma.user.findUnique({ where: { id: session.userId }, select: { active: true } });
          if (!user?.active) throw new APIError('FORBIDDEN', { message: DEACTIVATED_MESSAGE, code: ACCOUNT_DEACTIVATED });
        },
      },
    },
  },
  // The client IP as lib/auth/ip.ts decided it from the socket and HONE_TRUSTED_PROXIES (never a
  // client-sent X-Forwarded-For), for better-auth's flood guard and the Session row.
  advanced: { ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] } },
  plugins: [signInLimits(), revokeOtherHashedSessions(), nextCookies()],
  telemetry: { enabled: false },
  // Wrong passwords are expected traffic; tests would drown in them.
  logger: { level: env().NODE_ENV === 'test' ? 'error' : 'warn' },
});

export type Auth = typeof auth;
