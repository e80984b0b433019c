// Reading the truth from the suite's Postgres with plain short-lived connections (the harness
// outlives every restart, so it holds no pool): rounds and their stages, metrics, export jobs,
// and whether each acknowledged submission is stored exactly once.
import pg from 'pg';
import type { Acked } from './labelers';
import { sleep } from './ports';

export type RoundRow = { status: string; error: string | null; jobs: { id: string; stage: string; status: string; step: number; attempts: number; resumeUri: string | null; error: string | null }[] };

export class Database {
  constructor(readonly url: string) {}

  /** One query on a fresh connection, retried for up to 60 s while Postgres is restarting. */
  async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const c = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
      try {
        await c.connect();
        return (await c.query<R>(sql, values)).rows;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(500);
      } finally {
        await c.end().catch(() => undefined);
      }
    }
  }

  async round(id: string): Promise<RoundRow> {
    const [r] = await this.query<{ status: string; error: string | null }>(`SELECT status, error FROM "TrainingRound" WHERE id = $1`, [id]);
    if (!r) throw new Error(`no round ${id} in the database`);
    const jobs = await this.query<RoundRow['jobs'][number]>(
      `SELECT id, stage, status, step, attempts, "resumeUri", error FROM "TrainingJob" WHERE "roundId" = $1 ORDER BY "createdAt", id`,
      [id],
    );
    return { ...r, jobs };
  }

  /**
   * Training stages whose stored metric steps are not exactly 1..step once each: a resumed stage
   * must neither repeat nor skip a step. (EVALUATE logs only some steps, so it is not checked.)
   */
  async metricAnomalies(roundId: string): Promise<string[]> {
    const rows = await this.query<{ stage: string; step: number; n: number; distinct: number; max: number }>(
      `SELECT j.stage, j.step, count(m.id)::int AS n, count(DISTINCT m.step)::int AS distinct, coalesce(max(m.step), 0)::int AS max
       FROM "TrainingJob" j LEFT JOIN "JobMetric" m ON m."jobId" = j.id
       WHERE j."roundId" = $1 AND j.stage IN ('PRETRAIN', 'SFT', 'RM', 'PPO') AND j.status = 'SUCCEEDED'
       GROUP BY j.id, j.stage, j.step`,
      [roundId],
    );
    return rows.filter((r) => r.n !== r.distinct || r.max !== r.step || r.n !== r.step).map((r) => `${r.stage}: ${r.n} metric rows, ${r.distinct} distinct steps, highest ${r.max}, stage at step ${r.step}`);
  }

  async exportJob(id: string): Promise<{ status: string; error: string | null; rows: number; uri: string | null }> {
    const [j] = await this.query<{ status: string; error: string | null; rows: number; uri: string | null }>(`SELECT status, error, rows, uri FROM "ExportJob" WHERE id = $1`, [id]);
    if (!j) throw new Error(`no export job ${id} in the database`);
    return j;
  }

  /** Every acknowledged submission present with its task and labeler, and no (task, labeler) twice. */
  async storedOnce(projectId: string, acked: Acked[]): Promise<{ acknowledged: number; stored: number; lost: string[]; duplicates: number }> {
    const ids = acked.map((a) => a.submissionId);
    const found = await this.query<{ id: string; taskId: string; userId: string }>(`SELECT id, "taskId", "userId" FROM "Judgement" WHERE id = ANY($1::text[])`, [ids]);
    const byId = new Map(found.map((r) => [r.id, r]));
    const lost = acked.filter((a) => byId.get(a.submissionId)?.taskId !== a.taskId || byId.get(a.submissionId)?.userId !== a.userId).map((a) => a.submissionId);
    const [dup] = await this.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT "taskId", "userId" FROM "Judgement" WHERE "projectId" = $1 GROUP BY 1, 2 HAVING count(*) > 1) d`,
      [projectId],
    );
    const [over] = await this.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Task" t WHERE t."projectId" = $1 AND (SELECT count(*) FROM "Judgement" j WHERE j."taskId" = t.id) > t.wanted`,
      [projectId],
    );
    return { acknowledged: acked.length, stored: found.length, lost, duplicates: dup.n + over.n };
  }
}
