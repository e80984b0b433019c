// `npm run db:seed`: makes the database ready to sign in to without starting the app: creates it
// and applies pending migrations when needed, then seeds it when it has no users yet (the first
// admin, from HONE_ADMIN_EMAIL / HONE_ADMIN_PASSWORD, or admin@hone.local with a password printed
// once). A database that already has users is left as it is. `npm run dev` does the same at start.
import { env } from '../lib/env';
import { ensureDatabase, migrate } from '../lib/data/migrate';
import { seedIfEmpty } from '../lib/data/seed';
import { closeDatabase } from '../lib/data/close-database';
import { checkServices } from './services';

const e = env();
if (!(await checkServices({ redis: false }))) process.exit(1);
const database = new URL(e.DATABASE_URL).pathname.slice(1);
if (await ensureDatabase(e.DATABASE_URL)) console.log(`created database ${database}`);
const { applied } = await migrate(e.DATABASE_URL);
if (applied.length) console.log(`applied ${applied.length} migration${applied.length === 1 ? '' : 's'}`);
try {
  const { admin } = await seedIfEmpty({ adminEmail: e.HONE_ADMIN_EMAIL, adminPassword: e.HONE_ADMIN_PASSWORD });
  if (!admin) console.log(`database ${database} already has users; nothing seeded`);
  else {
    console.log(`created the first admin: ${admin.email}`);
    if (admin.password) console.log(`  password (shown once, change it after signing in): ${admin.password}`);
  }
} finally {
  await closeDatabase();
}
