// The `export` queue: one export job at a time per worker — freeze the selection, stream the
// format to a temp file, rename, manifest last (lib/data/exports/run-export-job.ts). Progress
// goes to the BullMQ job and, throttled, to the ExportJob row.
import { ExportPayload, QUEUES } from '../../lib/queue/names';
import { runExportJob } from '../../lib/data/exports/run-export-job';
import type { Processor } from './types';

export const processor: Processor = {
  queue: QUEUES.export,
  concurrency: 1,
  lockDuration: 120_000,
  async process(job, ctx) {
    const { exportJobId } = ExportPayload.parse(job.data);
    ctx.log.info('export started', { exportJobId });
    const result = await runExportJob(exportJobId, (fraction) => job.updateProgress(Math.round(fraction * 100)));
    ctx.log.info('export finished', { exportJobId, rows: result?.rows, bytes: result?.bytes });
    return result;
  },
};
