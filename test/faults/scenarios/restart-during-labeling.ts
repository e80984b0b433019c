// Labelers submit through the API while Redis or Postgres is stopped and started again: every
// acknowledged submission is stored exactly once, and requests during the outage answer 503 fast.
import type { Environment } from '../environment';
import { startLabelers, type Acked } from '../labelers';
import { sleep } from '../ports';
import type { Report } from '../report';
import { outage, type Service } from './restart-during-round';

export async function restartDuringLabeling(env: Environment, report: Report, service: Service, downMs: number, clients = 10): Promise<void> {
  const name = `${service} restart during labeling`;
  const projectId = env.seed.labelingProjectId;
  const run = startLabelers(env.api, projectId, env.seed.labelers.slice(0, clients));
  await sleep(3000);
  const before = run.acked.length;
  let acked: Acked[] = [];
  await outage(env, report, name, service, downMs, async () => {
    await sleep(4000);
    acked = await run.stop();
  });
  report.check(name, 'labelers were acknowledged before the outage', before > 0, `${before} before, ${acked.length} in all`);
  await expectStoredOnce(env, report, name, projectId, acked);
}

export async function expectStoredOnce(env: Environment, report: Report, name: string, projectId: string, acked: Acked[]) {
  const s = await env.db.storedOnce(projectId, acked);
  report.submissions.acknowledged += s.acknowledged;
  report.submissions.stored += s.stored;
  report.submissions.lost += s.lost.length;
  report.submissions.duplicates += s.duplicates;
  report.check(name, 'every acknowledged submission is stored exactly once', s.lost.length === 0 && s.duplicates === 0 && s.stored === s.acknowledged, `${s.acknowledged} acknowledged, ${s.stored} stored, ${s.lost.length} lost, ${s.duplicates} duplicated`);
}
