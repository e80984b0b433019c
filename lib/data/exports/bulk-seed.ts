// Seeds a large synthetic ranking dataset entirely inside Postgres (INSERT … SELECT over
// generate_series), for the bounded-memory test and the export benchmark: `sets` ranking
// sets of `k` completions, each ranked by `labelers` labelers with a strict order (so every
// judgement expands to k(k−1)/2 pairs). Texts carry quotes, a newline and non-ASCII so the
// JSON writer does real escaping.
import type pg from 'pg';

export type BulkSeed = { prefix: string; sets: number; labelers: number; k: number };

export async function seedBulkJudgements(db: pg.Pool | pg.Client, o: BulkSeed): Promise<{ projectId: string; judgements: number; pairs: number }> {
  const P = o.prefix;
  const projectId = `${P}-proj`;
  const run = (sql: string, values: unknown[] = []) => db.query(sql, values);
  await run(
    `INSERT INTO "User" (id, name, email, role, "updatedAt")
     SELECT $1 || '-u' || l, 'Labeler ' || l, $1 || '-u' || l || '@bulk.test', 'LABELER', now() FROM generate_series(1, $2::int) l`,
    [P, o.labelers],
  );
  await run(`INSERT INTO "Project" (id, slug, name, k, overlap, "updatedAt") VALUES ($1, $1, 'Bulk ' || $2, $3, $4, now())`, [projectId, P, o.k, o.labelers]);
  await run(
    `INSERT INTO "Prompt" (id, "projectId", text, "textHash", split, "createdAt")
     SELECT $1 || '-p' || s, $2, 'Prompt ' || s || ': explain "' || md5(s::text) || E'" in one paragraph.\\nBe brief — café.', $1 || '-p' || s,
            (CASE WHEN s % 10 = 0 THEN 'VAL' ELSE 'TRAIN' END)::"Split", timestamp '2026-01-01' + s * interval '1 second'
     FROM generate_series(1, $3::int) s`,
    [P, projectId, o.sets],
  );
  await run(
    `INSERT INTO "CompletionSet" (id, "projectId", "promptId", "sourceModel", "displaySeed", "createdAt")
     SELECT $1 || '-s' || s, $2, $1 || '-p' || s, 'bulk-model', s, timestamp '2026-01-01' + s * interval '1 second'
     FROM generate_series(1, $3::int) s`,
    [P, projectId, o.sets],
  );
  await run(
    `INSERT INTO "Completion" (id, "setId", index, text)
     SELECT $1 || '-s' || s || '-c' || i, $1 || '-s' || s, i,
            'Completion ' || i || ' of set ' || s || '. ' || repeat(md5((s * 16 + i)::text) || ' ', 3) || E'"quoted"\\tand\\nnew line.'
     FROM generate_series(1, $2::int) s, generate_series(0, $3::int - 1) i`,
    [P, o.sets, o.k],
  );
  await run(
    `INSERT INTO "Task" (id, "projectId", kind, status, "promptId", "completionSetId", wanted, "doneCount", "updatedAt")
     SELECT $1 || '-t' || s, $2, 'RANKING', 'DONE', $1 || '-p' || s, $1 || '-s' || s, $4, $4, now() FROM generate_series(1, $3::int) s`,
    [P, projectId, o.sets, o.labelers],
  );
  await run(
    `INSERT INTO "Assignment" (id, "taskId", "userId", status, "expiresAt", "updatedAt")
     SELECT $1 || '-a' || s || '-' || l, $1 || '-t' || s, $1 || '-u' || l, 'SUBMITTED', now(), now()
     FROM generate_series(1, $2::int) s, generate_series(1, $3::int) l`,
    [P, o.sets, o.labelers],
  );
  // Judgement (s, l) ranks the completions rotated by (s + l) mod k: strict, k tiers.
  await run(
    `WITH orders AS (
       SELECT r, jsonb_agg(jsonb_build_array((i + r) % $4::int) ORDER BY i) AS tiers, jsonb_agg((i * 3 + r) % $4::int ORDER BY i) AS shown
       FROM generate_series(0, $4::int - 1) r, generate_series(0, $4::int - 1) i GROUP BY r)
     INSERT INTO "Judgement" (id, "projectId", "setId", "taskId", "assignmentId", "userId", tiers, "displayOrder", "timeMs", "guidelineVersion", likert, "createdAt")
     SELECT $1 || '-j' || s || '-' || l, $2, $1 || '-s' || s, $1 || '-t' || s, $1 || '-a' || s || '-' || l, $1 || '-u' || l,
            o.tiers, o.shown, 10000 + (s * 7 + l) % 50000, 1, 1 + (s + l) % 7,
            timestamp '2026-01-01' + s * interval '1 second' + l * interval '1 millisecond'
     FROM generate_series(1, $3::int) s CROSS JOIN generate_series(1, $5::int) l JOIN orders o ON o.r = (s + l) % $4::int`,
    [P, projectId, o.sets, o.k, o.labelers],
  );
  await run('ANALYZE "Judgement", "CompletionSet", "Completion", "Prompt"');
  const judgements = o.sets * o.labelers;
  return { projectId, judgements, pairs: (judgements * o.k * (o.k - 1)) / 2 };
}
