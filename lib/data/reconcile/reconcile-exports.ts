// Heals export jobs whose rows disagree with BullMQ, so none stays QUEUED or RUNNING for good
// (its file endpoint answers 409 until it ends): a row with no job in Redis is queued again
// (same id, so a job that exists after all is left alone); a job that failed or finished in
// Redis without its row saying so fails the row with the reason. Updates are guarded by the
// row's status, so two workers reconciling at once agree.
import { prisma } from '../../db';
import { queueJobState } from '../../queue/job-state';
import { QUEUES } from '../../queue/names';
import { enqueueExportJob } from '../exports/create-export-job';
import { oneRow, type ReconcileAction } from './reconcile-rounds';

async function failOpenExport(id: string, reason: string): Promise<boolean> {
  const r = await prisma.exportJob.updateMany({ where: { id, status: { in: ['QUEUED', 'RUNNING'] } }, data: { status: 'FAILED', error: reason, uri: null, finishedAt: new Date() } });
  return r.count > 0;
}

async function reconcileExport(id: string): Promise<ReconcileAction[]> {
  const s = await queueJobState(QUEUES.export, id);
  if (s.state === 'missing') {
    await enqueueExportJob(id);
    return [{ kind: 'export', id, action: 'requeued', reason: 'it had no job in Redis' }];
  }
  const reason =
    s.state === 'failed'
      ? `The export failed in the job queue, and the failure was not recorded at the time: ${s.failedReason ?? 'no reason given'}. Start it again.`
      : s.state === 'completed'
        ? 'The export finished in the job queue without recording its result (the database was probably unreachable). Start it again.'
        : null;
  return reason && (await failOpenExport(id, reason)) ? [{ kind: 'export', id, action: 'failed', reason }] : [];
}

export async function reconcileExports(graceMs: number): Promise<ReconcileAction[]> {
  const rows = await prisma.exportJob.findMany({
    where: { status: { in: ['QUEUED', 'RUNNING'] }, createdAt: { lt: new Date(Date.now() - graceMs) } },
    select: { id: true },
  });
  const actions: ReconcileAction[] = [];
  for (const row of rows) actions.push(...(await oneRow('export', row.id, () => reconcileExport(row.id))));
  return actions;
}
