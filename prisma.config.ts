// Prisma CLI settings. The CLI is used for `prisma generate` (and, on machines that have
// Prisma's schema engine, `prisma migrate deploy`); Hone applies migrations itself with
// `npm run db:migrate` (lib/data/migrate.ts), so nothing here is needed at run time.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/hone' },
});
