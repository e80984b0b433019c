// The only reader of process.env. Everything else receives these values.
import { isIP } from 'node:net';
import { z } from 'zod';
import { BackendName, WasmThreadsSetting } from './shared/backends';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/hone'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  // Every BullMQ key starts with this, so test runs and apps can share one Redis.
  HONE_REDIS_PREFIX: z.string().min(1).default('hone'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HONE_BASE_URL: z.string().url().optional(),
  // Signs session cookies. When unset, scripts/start.ts creates one in var/ and passes it on.
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
  HONE_ADMIN_EMAIL: z.string().email().optional(),
  HONE_ADMIN_PASSWORD: z.string().min(10).optional(),
  HONE_CHECKPOINT_ROOT: z.string().default('var/checkpoints'),
  HONE_EXPORT_ROOT: z.string().default('var/exports'),
  // Hugging Face model folders an admin may register as bases by name (copied here without internet).
  HONE_MODELS_DIR: z.string().default('var/models'),
  // Forces one TensorFlow.js backend (lib/shared/backends.ts); unset means the automatic choice.
  HONE_TF_BACKEND: z.preprocess((v) => (v === '' ? undefined : v), BackendName.optional()),
  // WebAssembly threads for the wasm backend: true, false or a thread count (off when unset).
  HONE_WASM_THREADS: WasmThreadsSetting,
  // Comma-separated queues this worker serves; empty means all.
  HONE_WORKER_QUEUES: z.string().default(''),
  HONE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // Reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For/-Host/-Proto are
  // believed. Empty: none, the socket's peer is the client (lib/auth/ip.ts).
  HONE_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((e) => e.trim()).filter(Boolean))
    .superRefine((entries, ctx) => {
      for (const entry of entries) {
        if (!isIpOrCidr(entry)) ctx.addIssue({ code: 'custom', message: `"${entry.slice(0, 60)}" is not an IP address or CIDR range (e.g. 10.0.0.5 or 10.0.0.0/24)` });
      }
    }),
  // How often each worker reconciles open rows with BullMQ, and how long a row must be untouched first (ms).
  HONE_RECONCILE_EVERY_MS: z.coerce.number().int().min(1000).default(45_000),
  HONE_RECONCILE_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  // Sign-in attempts one IP may make per minute (the flood guard; failed ones have stricter limits).
  HONE_SIGN_IN_PER_MINUTE: z.coerce.number().int().min(1).default(60),
});

export type Env = z.infer<typeof schema>;

/** "10.0.0.5", "10.0.0.0/24", "2001:db8::/32": what HONE_TRUSTED_PROXIES accepts. */
export function isIpOrCidr(entry: string): boolean {
  const [addr, prefix, extra] = entry.split('/');
  const family = isIP(addr.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1'));
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  cached = parsed.data;
  return cached;
}

export function baseUrl(): string {
  const e = env();
  return e.HONE_BASE_URL ?? `http://localhost:${e.PORT}`;
}
