// Use case: queue a large export as a job. The ExportJob row is written first, then the job
// is enqueued on the `export` queue with jobId = row id. Bad input fails here, before any row.
// If Redis cannot take the job within ENQUEUE_DEADLINE_MS the row is removed again and the
// caller gets 503; if even that removal fails, the reconciler queues the row later.
import { prisma } from '../../db';
import { getQueue, toRedis } from '../../queue/connection';
import { QUEUES, type ExportPayload } from '../../queue/names';
import { AppError } from '../errors';
import { ExportFilter, normalizeFilter } from './filter';
import { getFormat } from './formats';
import { resolveSelection } from './selection';
import { countUnits } from './units';
import { exportJobDto, type ExportJobDto } from './export-job-dto';
import { recordAudit } from '../audit/record-audit';

/** An export is retried on a database or Redis outage: 6 attempts, 5 s doubling (about 5 min). */
const EXPORT_RETRY = { attempts: 6, backoff: { type: 'exponential', delay: 5000 } } as const;

export async function createExportJob(input: { userId: string; format: string; filter: unknown; gzip?: boolean }): Promise<ExportJobDto> {
  const format = getFormat(input.format);
  const filter = normalizeFilter(ExportFilter.parse(input.filter));
  const sel = await resolveSelection(filter);
  if (!(await countUnits(sel, format.unit, { exists: true }))) {
    throw new AppError('NOT_FOUND', `Nothing to export: no ${format.unit === 'tree' ? 'judgements or dialogues' : `${format.unit}s`} match this selection.`);
  }
  const row = await prisma.exportJob.create({
    data: { userId: input.userId, format: format.id, gzip: input.gzip ?? false, filter, snapshotId: filter.snapshotId ?? null },
  });
  try {
    await enqueueExportJob(row.id);
  } catch (err) {
    await prisma.exportJob.delete({ where: { id: row.id } }).catch(() => {});
    if (err instanceof AppError) {
      throw new AppError('UNAVAILABLE', `The export queue is unavailable, so no export job was created: ${err.message} Try again, or stream the export with GET /api/exports/${format.id}.`);
    }
    throw err;
  }
  // Written once the job is queued: a job Redis refused was removed again and did not happen.
  await recordAudit(prisma, { actorId: input.userId, action: 'export.create', projectId: sel.projectId, targetType: 'ExportJob', targetId: row.id, data: { format: format.id, gzip: row.gzip, filter } });
  return exportJobDto(row);
}

/** Puts an ExportJob row's job on the `export` queue (jobId = row id, so adding it twice is a no-op). */
export async function enqueueExportJob(exportJobId: string): Promise<void> {
  const payload: ExportPayload = { exportJobId };
  const q = getQueue(QUEUES.export);
  await toRedis('queueing the export', q, () =>
    q.add('export', payload, { jobId: exportJobId, ...EXPORT_RETRY, removeOnComplete: 1000, removeOnFail: 1000 }),
  );
}
