// Run once, as its own process, on the suite's fresh database (DATABASE_URL): migrations, the
// first admin, a researcher, API tokens for every client, three training projects worked by
// in-process simulated labelers (one per round scenario, so a wedged round cannot spill into the
// next scenario), a ranking project with plenty of tasks for HTTP labelers, and a bulk project
// large enough that an export runs for a few seconds. Prints one JSON line (SeedResult).
import pg from 'pg';
import { env } from '../../lib/env';
import { ensureDatabase, migrate } from '../../lib/data/migrate';
import { seedIfEmpty } from '../../lib/data/seed';
import { createUser } from '../../lib/data/users/create-user';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { createProject } from '../../lib/data/projects/create-project';
import { importCompletionSets } from '../../lib/data/prompts/import-completion-sets';
import { ProjectInput } from '../../lib/shared/schemas';
import { seedBulkJudgements } from '../../lib/data/exports/bulk-seed';
import { closeDatabase } from '../../lib/data/close-database';
import { prisma } from '../../lib/db';
import { seededProject } from '../integration/loop-helpers';

export type SeedResult = {
  adminToken: string;
  researcherToken: string;
  labelers: { id: string; token: string }[];
  trainingProjects: Record<'worker' | 'redis' | 'postgres', string>;
  labelingProjectId: string;
  exportProjectId: string;
  exportJudgements: number;
};

const LABELERS = Number(process.env.FAULTS_LABELERS ?? 50);
const LABELING_SETS = Number(process.env.FAULTS_LABELING_SETS ?? 4000);
const EXPORT_SETS = Number(process.env.FAULTS_EXPORT_SETS ?? 20_000);

const e = env();
await ensureDatabase(e.DATABASE_URL);
await migrate(e.DATABASE_URL);
await seedIfEmpty({ adminEmail: 'admin@faults.test', adminPassword: 'faults-admin-password-1' });
const adminId = (await prisma.user.findFirstOrThrow({ where: { role: 'ADMIN' }, select: { id: true } })).id;
const researcher = await createUser({ email: 'researcher@faults.test', name: 'Fault researcher', password: 'faults-researcher-password-1', role: 'RESEARCHER' }, { id: null });

const trainingProjects = {
  worker: (await seededProject('Faults worker kill', { prompts: 16 })).project.id,
  redis: (await seededProject('Faults redis restart', { prompts: 16 })).project.id,
  postgres: (await seededProject('Faults postgres restart', { prompts: 16 })).project.id,
};

// Ranking only, one judgement per set: every submission is a fresh task, so 50 clients never run dry.
const labeling = await createProject(ProjectInput.parse({ name: 'Faults labeling', k: 4, overlap: 1, mixDemonstration: 0, mixDialogue: 0, mixRanking: 1 }), null);
const lines = Array.from({ length: LABELING_SETS }, (_, i) =>
  JSON.stringify({ prompt: `Fault prompt #${i}: explain item ${i}.`, completions: [0, 1, 2, 3].map((j) => `Answer ${j} for item ${i}.`), model: 'faults-model' }),
);
for (let i = 0; i < lines.length; i += 2000) await importCompletionSets(labeling.id, lines.slice(i, i + 2000).join('\n'), null);

const labelers: SeedResult['labelers'] = [];
for (let i = 0; i < LABELERS; i++) {
  const u = await createUser({ email: `labeler-${i}@faults.test`, name: `Fault labeler ${i}`, password: `faults-labeler-password-${i}`, role: 'LABELER' }, { id: null });
  labelers.push({ id: u.id, token: (await createApiToken(u.id, { name: 'fault suite' })).secret });
}

const db = new pg.Client({ connectionString: e.DATABASE_URL });
await db.connect();
const bulk = await seedBulkJudgements(db, { prefix: 'faults-bulk', sets: EXPORT_SETS, labelers: 3, k: 4 });
await db.end();

const result: SeedResult = {
  adminToken: (await createApiToken(adminId, { name: 'fault suite' })).secret,
  researcherToken: (await createApiToken(researcher.id, { name: 'fault suite' })).secret,
  labelers,
  trainingProjects,
  labelingProjectId: labeling.id,
  exportProjectId: bulk.projectId,
  exportJudgements: bulk.judgements,
};
await closeDatabase();
console.log(JSON.stringify(result));
process.exit(0);
