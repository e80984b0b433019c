// Postgres is stopped while an export job runs and started again: the job ends (SUCCEEDED with
// its file, or FAILED with a reason) within the bound, and a new export job is accepted after.
import type { Environment } from '../environment';
import { startOutageTraffic } from '../outage-traffic';
import { sleep } from '../ports';
import type { Report } from '../report';
import { outage } from './restart-during-round';
import { ROUND_BOUND_MS as BOUND_MS } from '../rounds';

export const name = 'postgres restart during an export';

export async function run(env: Environment, report: Report, downMs: number): Promise<void> {
  const { api, db, seed } = env;
  const created = await api.post<{ job: { id: string } }>('/api/export-jobs', { format: 'pairwise', filter: { projectId: seed.exportProjectId } }, seed.researcherToken);
  if (!report.check(name, 'the export job is accepted (202)', created.status === 202, `${created.status} ${created.text.slice(0, 200)}`)) return;
  const id = created.data.job.id;
  let job = await db.exportJob(id);
  for (let i = 0; i < 600 && job.status === 'QUEUED'; i++) {
    await sleep(100);
    job = await db.exportJob(id);
  }
  report.check(name, 'the export is RUNNING when Postgres stops', job.status === 'RUNNING', `${job.status}, ${job.rows} rows`);

  const traffic = startOutageTraffic(api, { adminToken: seed.adminToken, researcherToken: seed.researcherToken, exportProjectId: seed.trainingProjects.postgres });
  await outage(env, report, name, 'postgres', downMs, () => traffic.stop());

  const deadline = Date.now() + BOUND_MS;
  job = await db.exportJob(id);
  while ((job.status === 'QUEUED' || job.status === 'RUNNING') && Date.now() < deadline) {
    await sleep(500);
    job = await db.exportJob(id);
  }
  const clean = (job.status === 'SUCCEEDED' && !!job.uri) || (job.status === 'FAILED' && !!job.error);
  report.check(name, `the export job ends SUCCEEDED with a file, or FAILED with a reason, within ${BOUND_MS / 1000} s`, clean, `${job.status}${job.error ? ` (${job.error.slice(0, 200)})` : ''}, ${job.rows} rows`);
  if (job.status === 'SUCCEEDED') {
    const file = await api.get(`/api/export-jobs/${id}/file`, seed.researcherToken);
    report.check(name, 'its file downloads (200)', file.status === 200, `${file.status} ${file.status === 200 ? '' : file.text.slice(0, 200)}`);
  }
  const again = await api.post('/api/export-jobs', { format: 'judgements', filter: { projectId: seed.trainingProjects.postgres } }, seed.researcherToken);
  report.check(name, 'a new export job is accepted afterwards (202)', again.status === 202, `${again.status} ${again.text.slice(0, 200)}`);
}
