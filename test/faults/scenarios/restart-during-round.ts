// A service (Redis or Postgres) is stopped while SFT runs and started again a few seconds later.
// The round must end cleanly within the bound, requests during the outage answer 503 fast, the
// worker survives, and the project takes a new launch afterwards.
import type { Environment } from '../environment';
import { HANG_MS, type Answer } from '../http';
import { startOutageTraffic } from '../outage-traffic';
import { sleep } from '../ports';
import type { Report } from '../report';
import { cancelToTheEnd, describeRound, expectProjectNotBlocked, expectRoundEnds, launchRound, sftMidway, watchRound } from '../rounds';
import { TINY } from '../../integration/loop-helpers';

export type Service = 'redis' | 'postgres';

export async function restartDuringRound(env: Environment, report: Report, service: Service, downMs: number): Promise<void> {
  const name = `${service} restart during a round`;
  const projectId = env.seed.trainingProjects[service];
  const launched = await launchRound(env.api, env.seed.adminToken, projectId);
  if (!report.check(name, 'the round is launched (201)', launched.status === 201, `${launched.status} ${launched.text.slice(0, 200)}`)) return;
  const roundId = launched.data.round.id;
  const mid = await watchRound(env.db, roundId, sftMidway, 180_000);
  if (!report.check(name, 'SFT is running when the service stops', mid.reached, describeRound(mid.row))) return;

  const traffic = startOutageTraffic(env.api, { adminToken: env.seed.adminToken, researcherToken: env.seed.researcherToken, roundId, exportProjectId: projectId });
  // A launch on an idle project while the service is down: refused fast (503), and it may leave
  // nothing behind that blocks the project once the service is back.
  const idleProject = env.seed.trainingProjects.worker;
  let outageLaunch: Promise<Answer<{ round: { id: string } }>> | null = null;
  await outage(env, report, name, service, downMs, () => traffic.stop(), () => {
    outageLaunch = launchRound(env.api, env.seed.adminToken, idleProject, TINY);
  });
  const answered = await outageLaunch!;
  report.check(name, 'a launch sent during the outage is refused with 503 (or accepted)', answered.status === 503 || answered.status === 201, `${answered.status} after ${Math.round(answered.ms)} ms`);
  if (answered.status === 201) await cancelToTheEnd(report, name, env.api, env.db, env.seed.adminToken, answered.data.round.id, 'the launch accepted during the outage');
  await expectProjectNotBlocked(report, `${name} (the project launched during the outage)`, env.api, env.db, env.seed.adminToken, idleProject);

  await expectRoundEnds(report, name, env.db, roundId);
  await expectProjectNotBlocked(report, name, env.api, env.db, env.seed.adminToken, projectId);
}

/**
 * Stops the service, keeps it down for downMs, starts it. Requests started meanwhile are outage
 * traffic: each must answer (503, or whatever needs no service) within HANG_MS, never 500.
 * `settle` waits for the requests in flight before judging them.
 */
export async function outage(env: Environment, report: Report, name: string, service: Service, downMs: number, settle: () => Promise<void> = async () => {}, whileDown: () => void = () => {}): Promise<void> {
  const s = service === 'redis' ? env.redis : env.pg;
  const seenCount = env.recorder.violationCount;
  const seen = env.recorder.violations.length;
  const before = { ...env.recorder.tally };
  env.recorder.setOutage(service);
  try {
    await s.stop();
    whileDown();
    await sleep(downMs);
  } finally {
    await s.start();
    env.recorder.setOutage(null);
  }
  await settle();
  const during = Object.entries(env.recorder.tally)
    .map(([k, v]) => [k, v - before[k as keyof typeof before]] as const)
    .filter(([, v]) => v > 0);
  const bad = env.recorder.violations.slice(seen);
  const badCount = env.recorder.violationCount - seenCount;
  report.check(name, `requests during the outage answer within ${HANG_MS / 1000} s and never 500 (503 when they need ${service})`, badCount === 0 && during.length > 0, `${during.map(([k, v]) => `${k}: ${v}`).join(', ') || 'no requests'}${bad.length ? `; e.g. ${bad.slice(0, 3).join(' | ')}` : ''}`);
}
