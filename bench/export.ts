// `npm run bench:export`: 1,000,000 pairwise preference rows exported as TRL preference JSONL
// by Hone's streaming exporter, against `psql \copy` of the same rows (the same pair
// expansion, done in SQL) to a file, in the same run on the same database.
//
// The data lives in its own database (hone_bench_export on the server of DATABASE_URL,
// created and migrated if missing) and is seeded once: 25,000 sets × 4 labelers × K = 5 with
// strict rankings → 100,000 judgements → 1,000,000 pairs. The last line printed is a JSON
// object: rows/s of both, and their ratio (export / copy).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import pg from 'pg';

const base = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/hone');
base.pathname = '/hone_bench_export';
const url = base.toString();
process.env.DATABASE_URL = url; // before lib/env is read: the exporter reads this database

const { ensureDatabase, migrate } = await import('../lib/data/migrate');
const { seedBulkJudgements } = await import('../lib/data/exports/bulk-seed');
const { openExport } = await import('../lib/data/exports/stream-export');
const { closeExportPools } = await import('../lib/data/exports/cursor');

const PREFIX = 'bx';
const SEED = { prefix: PREFIX, sets: 25_000, labelers: 4, k: 5 };
const projectId = `${PREFIX}-proj`;
const outDir = path.resolve('var/bench-export');

const log = (msg: string) => console.log(`[bench:export] ${msg}`);

if (await ensureDatabase(url)) log(`created database ${base.pathname.slice(1)}`);
await migrate(url);
const db = new pg.Client({ connectionString: url });
await db.connect();
const [{ n }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Judgement" WHERE "projectId" = $1`, [projectId])).rows;
const wanted = SEED.sets * SEED.labelers;
if (n !== wanted) {
  log(`seeding ${wanted.toLocaleString()} judgements (${((wanted * SEED.k * (SEED.k - 1)) / 2).toLocaleString()} pairs)…`);
  const t = performance.now();
  await db.query(`DELETE FROM "Project" WHERE id = $1`, [projectId]);
  await db.query(`DELETE FROM "User" WHERE id LIKE $1`, [`${PREFIX}-u%`]);
  await seedBulkJudgements(db, SEED);
  log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
} else log('data already seeded');
await db.query('VACUUM ANALYZE "Judgement"');
await db.query('VACUUM ANALYZE "Completion"');
await db.end();
await mkdir(outDir, { recursive: true });

// ── Hone's exporter: cursor → pairs → JSON lines → file ──
async function runExport(file: string): Promise<{ rows: number; bytes: number; seconds: number }> {
  const t = performance.now();
  const out = await openExport({ format: 'trl-preference', filter: { projectId } });
  const ws = createWriteStream(file);
  for await (const chunk of out.chunks) if (!ws.write(chunk)) await once(ws, 'drain');
  ws.end();
  await once(ws, 'close');
  return { rows: out.stats.rows, bytes: out.stats.bytes, seconds: (performance.now() - t) / 1000 };
}

// ── psql \copy of the same rows: the same pair expansion done in SQL (each judgement's
// completions gathered once into an array, tiers expanded with jsonb functions), in the same
// order (judgements by time then id; pairs best tier first). This formulation is the fast
// one: joining "Completion" twice per pair makes the planner pick a plan that runs for many
// minutes.
const COPY_SQL = `SELECT x.prompt, x.texts[w.idx::int + 1] AS chosen, x.texts[l.idx::int + 1] AS rejected
  FROM (SELECT j.tiers, p.text AS prompt,
          (SELECT array_agg(c.text ORDER BY c.index) FROM "Completion" c WHERE c."setId" = j."setId") AS texts
        FROM "Judgement" j JOIN "CompletionSet" s ON s.id = j."setId" JOIN "Prompt" p ON p.id = s."promptId"
        WHERE j."projectId" = '${projectId}' ORDER BY j."createdAt", j.id) x
  CROSS JOIN LATERAL jsonb_array_elements(x.tiers) WITH ORDINALITY AS a(tier, ta)
  CROSS JOIN LATERAL jsonb_array_elements(x.tiers) WITH ORDINALITY AS b(tier, tb)
  CROSS JOIN LATERAL jsonb_array_elements_text(a.tier) AS w(idx)
  CROSS JOIN LATERAL jsonb_array_elements_text(b.tier) AS l(idx)
  WHERE b.tb > a.ta`;

async function runCopy(file: string): Promise<{ rows: number; seconds: number }> {
  const t = performance.now();
  const child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (${COPY_SQL.replace(/\s+/g, ' ')}) TO '${file}'`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`psql exited with ${code}`);
  const seconds = (performance.now() - t) / 1000;
  const rows = Number(/COPY (\d+)/.exec(out)?.[1] ?? NaN);
  return { rows, seconds };
}

async function lines(file: string): Promise<number> {
  const child = spawn('wc', ['-l', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await once(child, 'exit');
  return Number(out.trim().split(/\s+/)[0]);
}

const exportFile = path.join(outDir, 'trl-preference.jsonl');
const copyFile = path.join(outDir, 'copy.tsv');
// Warm the caches once for both, then time them alternately; report the best of each.
const runs = Number(process.env.BENCH_RUNS ?? 2);
let best = { export: { rows: 0, bytes: 0, seconds: Infinity }, copy: { rows: 0, seconds: Infinity } };
for (let i = 0; i < runs; i++) {
  const c = await runCopy(copyFile);
  const e = await runExport(exportFile);
  log(`run ${i + 1}: export ${e.rows.toLocaleString()} rows in ${e.seconds.toFixed(2)} s · \\copy ${(await lines(copyFile)).toLocaleString()} rows in ${c.seconds.toFixed(2)} s`);
  if (e.seconds < best.export.seconds) best = { ...best, export: e };
  if (c.seconds < best.copy.seconds) best = { ...best, copy: { ...c, rows: await lines(copyFile) } };
}
const exportLines = await lines(exportFile);
if (exportLines !== best.copy.rows) throw new Error(`row counts differ: export ${exportLines}, \\copy ${best.copy.rows}`);
const exportBytes = (await stat(exportFile)).size;
const copyBytes = (await stat(copyFile)).size;
await rm(outDir, { recursive: true, force: true });
await closeExportPools();

const exportRate = best.export.rows / best.export.seconds;
const copyRate = best.copy.rows / best.copy.seconds;
console.log(
  JSON.stringify({
    bench: 'export',
    format: 'trl-preference',
    rows: best.export.rows,
    export_seconds: +best.export.seconds.toFixed(3),
    copy_seconds: +best.copy.seconds.toFixed(3),
    export_rows_per_s: Math.round(exportRate),
    copy_rows_per_s: Math.round(copyRate),
    ratio: +(exportRate / copyRate).toFixed(3),
    export_bytes: exportBytes,
    copy_bytes: copyBytes,
  }),
);
