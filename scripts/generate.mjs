// `prisma generate` without network: the CLI wants a schema-engine binary it would download,
// but generating the client never runs it, so any existing file satisfies the check.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
const r = spawnSync('npx', ['prisma', 'generate'], { stdio: ['ignore', 'inherit', 'inherit'], env });
process.exit(r.status ?? 1);
