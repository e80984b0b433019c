// `npm run db:migrate`: creates the database if needed and applies pending migrations.
import { env } from '../lib/env';
import { ensureDatabase, migrate } from '../lib/data/migrate';
import { checkServices } from './services';

const url = env().DATABASE_URL;
if (!(await checkServices({ redis: false }))) process.exit(1);
if (await ensureDatabase(url)) console.log(`created database ${new URL(url).pathname.slice(1)}`);
const { applied, alreadyApplied } = await migrate(url, { log: (l) => console.log(l) });
console.log(`migrations: ${applied.length} applied, ${alreadyApplied.length} already applied`);
