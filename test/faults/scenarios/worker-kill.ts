// kill -9 of the worker in the middle of SFT, after a checkpoint: a new worker picks the stalled
// job up, the stage resumes from its checkpoint, the round succeeds, every metric stored once.
import type { Environment } from '../environment';
import type { Report } from '../report';
import { describeRound, expectProjectNotBlocked, expectRoundEnds, launchRound, sftMidway, watchRound } from '../rounds';

export const name = 'worker kill -9 mid-stage';

export async function run(env: Environment, report: Report): Promise<void> {
  const projectId = env.seed.trainingProjects.worker;
  const launched = await launchRound(env.api, env.seed.adminToken, projectId);
  if (!report.check(name, 'the round is launched (201)', launched.status === 201, `${launched.status} ${launched.text.slice(0, 200)}`)) return;
  const roundId = launched.data.round.id;
  const mid = await watchRound(env.db, roundId, sftMidway, 180_000);
  if (!report.check(name, 'SFT reaches a checkpoint with steps left', mid.reached, describeRound(mid.row))) return;

  await env.worker.kill9();
  env.worker = env.newWorker('worker-2');
  const done = await expectRoundEnds(report, name, env.db, roundId);
  const sft = done.jobs.find((j) => j.stage === 'SFT');
  report.check(name, 'the round SUCCEEDED, SFT resumed on a second attempt', done.status === 'SUCCEEDED' && sft?.attempts === 2, describeRound(done));
  await expectProjectNotBlocked(report, name, env.api, env.db, env.seed.adminToken, projectId);
}
