// Runs in every worker of the service-free projects (unit, tensorflow). They have no database
// and no Redis: both URLs point at a closed port, so a test that needs a service fails at once
// with "connection refused" (move it to the integration project in vitest.config.ts) instead of
// reaching the developer's own database.
process.env.DATABASE_URL = 'postgresql://postgres@127.0.0.1:1/unit_tests_have_no_database';
process.env.REDIS_URL = 'redis://127.0.0.1:1';
process.env.HONE_REDIS_PREFIX = 'unit_tests_have_no_redis';
process.env.BETTER_AUTH_SECRET ??= 'test-secret-test-secret-test-secret-0123456789';
process.env.HONE_CHECKPOINT_ROOT ??= 'var/test-checkpoints/unit';
process.env.HONE_EXPORT_ROOT ??= 'var/test-exports/unit';
(process.env as Record<string, string>).NODE_ENV = 'test';
