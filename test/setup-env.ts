// Runs in every test worker before its files: point lib/env at this run's database and prefix.
import { inject } from 'vitest';

process.env.DATABASE_URL = inject('databaseUrl');
process.env.HONE_REDIS_PREFIX = inject('redisPrefix');
process.env.REDIS_URL = inject('redisUrl');
process.env.BETTER_AUTH_SECRET ??= 'test-secret-test-secret-test-secret-0123456789';
process.env.HONE_CHECKPOINT_ROOT ??= `var/test-checkpoints/${inject('redisPrefix')}`;
process.env.HONE_MODELS_DIR ??= `var/test-models/${inject('redisPrefix')}`;
process.env.HONE_EXPORT_ROOT ??= `var/test-exports/${inject('redisPrefix')}`;
(process.env as Record<string, string>).NODE_ENV = 'test';
