// The `export` queue: one export job at a time per worker — freeze the selection, stream the
// format to a temp file, rename, manifest last (lib/data/exports/run-export-job.ts). Progress
// goes to the BullMQ job and, throttled, to the ExportJob row. A database or Redis outage is
// retried with backoff (the export starts over; its temp files are removed first); other
// failures are final, with their message on the row.
import { ExportPayload, QUEUES } from '../../lib/queue/names';
import { runExportJob } from '../../lib/data/exports/run-export-job';
import { failAttempt, isLastAttempt } from './outage-retry';
import type { Processor } from './types';

export const processor: Processor = {
  queue: QUEUES.export,
  concurrency: 1,
  lockDuration: 120_000,
  async process(job, ctx) {
    const { exportJobId } = ExportPayload.parse(job.data);
    const log = ctx.log.child({ exportJobId });
    log.info('export started', { attempt: job.attemptsMade + 1 });
    try {
      const result = await runExportJob(exportJobId, (fraction) => job.updateProgress(Math.round(fraction * 100)), { lastAttempt: isLastAttempt(job) });
      log.info('export finished', { rows: result?.rows, bytes: result?.bytes });
      return result;
    } catch (e) {
      // runExportJob has already written a final failure to the row.
      throw await failAttempt(job, e, log, async () => {});
    }
  },
};
