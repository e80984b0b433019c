// Use case: queue a large export as a job. The ExportJob row is written first, then the job
// is enqueued on the `export` queue with jobId = row id. Bad input fails here, before any row.
import { prisma } from '../../db';
import { getQueue } from '../../queue/connection';
import { QUEUES, type ExportPayload } from '../../queue/names';
import { AppError } from '../errors';
import { ExportFilter, normalizeFilter } from './filter';
import { getFormat } from './formats';
import { resolveSelection } from './selection';
import { countUnits } from './units';
import { exportJobDto, type ExportJobDto } from './export-job-dto';

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
    const payload: ExportPayload = { exportJobId: row.id };
    await getQueue(QUEUES.export).add('export', payload, { jobId: row.id, removeOnComplete: 1000, removeOnFail: 1000 });
  } catch (err) {
    await prisma.exportJob.update({ where: { id: row.id }, data: { status: 'FAILED', error: 'The job queue is unavailable.', finishedAt: new Date() } });
    throw new AppError('UNAVAILABLE', `The export queue is unavailable (${(err as Error).message}). Try again, or stream the export with GET /api/exports/${format.id}.`);
  }
  return exportJobDto(row);
}
