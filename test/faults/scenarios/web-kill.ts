// kill -9 of the web server while 50 clients submit; it is started again. Every acknowledged
// submission is stored exactly once (clients resend unanswered submits with the same key).
import type { Environment } from '../environment';
import { startLabelers } from '../labelers';
import { sleep } from '../ports';
import type { Report } from '../report';
import { expectStoredOnce } from './restart-during-labeling';

export const name = 'web server kill -9 under 50 clients';

export async function run(env: Environment, report: Report): Promise<void> {
  const projectId = env.seed.labelingProjectId;
  const run = startLabelers(env.api, projectId, env.seed.labelers.slice(0, 50));
  await sleep(5000);
  const before = run.acked.length;
  env.recorder.setWebDown(true);
  await env.web.kill9();
  let restartMs = 0;
  try {
    restartMs = await env.startWeb();
  } finally {
    env.recorder.setWebDown(false);
  }
  await sleep(5000);
  const acked = await run.stop();
  report.check(name, 'clients were acknowledged before the kill and after the restart', before > 0 && acked.length > before, `${before} before, ${acked.length} in all; restart answered after ${restartMs} ms`);
  await expectStoredOnce(env, report, name, projectId, acked);
}
