// Use case run by the `export` worker: freeze the job's selection as a snapshot (unless it
// names one), stream the format into a temp file while hashing it, rename it into place,
// then write the manifest last and mark the job SUCCEEDED. Any failure removes what was
// written and marks the job FAILED with a readable error, except a database or Redis outage
// on an attempt that BullMQ will retry: that leaves the row RUNNING for the retry.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { prisma } from '../../db';
import { createSnapshot } from '../snapshots/create-snapshot';
import { getSnapshot } from '../snapshots/get-snapshot';
import { exportPaths } from './export-files';
import { getFormat } from './formats';
import { openExport } from './stream-export';
import { resolveSelection } from './selection';
import { countUnits } from './units';
import { isTransientOutage } from '../outage';

const PROGRESS_EVERY_MS = 1000;

export type ExportJobResult = { rows: number; bytes: number; sha256: string; file: string };

export async function runExportJob(
  exportJobId: string,
  onProgress?: (fraction: number) => Promise<void> | void,
  opts: { lastAttempt?: boolean } /* false: BullMQ retries an outage */ = {},
): Promise<ExportJobResult | null> {
  const job = await prisma.exportJob.findUnique({ where: { id: exportJobId } });
  if (!job) throw new Error(`ExportJob ${exportJobId} does not exist`);
  if (job.status === 'SUCCEEDED' || job.status === 'CANCELLED') return null;
  await prisma.exportJob.update({ where: { id: job.id }, data: { status: 'RUNNING', error: null, progress: 0 } });
  const paths = exportPaths(job.id, job.gzip);
  try {
    const format = getFormat(job.format);
    let snapshotId = job.snapshotId;
    if (!snapshotId) {
      snapshotId = (await createSnapshot({ filter: job.filter, kind: 'EXPORT', userId: job.userId })).id;
      await prisma.exportJob.update({ where: { id: job.id }, data: { snapshotId } });
    }
    const snapshot = await getSnapshot(snapshotId);
    const total = await countUnits(await resolveSelection({ snapshotId }), format.unit);
    let last = 0;
    const progress = async (units: number) => {
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      const fraction = total ? Math.min(0.99, units / total) : 0;
      await prisma.exportJob.update({ where: { id: job.id }, data: { progress: fraction } }).catch(() => {});
      await onProgress?.(fraction);
    };
    const opened = await openExport({ format: format.id, filter: { snapshotId }, gzip: job.gzip, allowEmpty: true, onProgress: (u) => void progress(u) });

    await mkdir(paths.root, { recursive: true });
    const hash = createHash('sha256');
    let bytes = 0;
    const out = createWriteStream(paths.partial, { flags: 'w' });
    const failed = once(out, 'error').then(([e]) => {
      throw e;
    });
    failed.catch(() => {});
    for await (const chunk of opened.chunks) {
      hash.update(chunk);
      bytes += chunk.length;
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
    }
    out.end();
    await Promise.race([once(out, 'close'), failed]);
    const sha256 = hash.digest('hex');
    await rename(paths.partial, paths.file);

    const manifest = {
      export_job_id: job.id,
      format: format.id,
      fields: format.fields,
      gzip: job.gzip,
      file: paths.file.split('/').pop(),
      rows: opened.stats.rows,
      bytes,
      sha256,
      snapshot: {
        id: snapshot.id,
        sha256: snapshot.sha256,
        filter: snapshot.manifest.filter,
        counts: snapshot.manifest.counts,
        checkpoint_ids: snapshot.manifest.checkpoint_ids,
        round_ids: snapshot.manifest.round_ids,
        guideline_versions: snapshot.manifest.guideline_versions,
      },
      created_at: new Date().toISOString(),
    };
    await writeFile(paths.manifestPartial, JSON.stringify(manifest, null, 2) + '\n');
    await rename(paths.manifestPartial, paths.manifest);
    await prisma.exportJob.update({
      where: { id: job.id },
      data: { status: 'SUCCEEDED', progress: 1, rows: opened.stats.rows, bytes: BigInt(bytes), sha256, uri: paths.file, finishedAt: new Date() },
    });
    await onProgress?.(1);
    return { rows: opened.stats.rows, bytes, sha256, file: paths.file };
  } catch (err) {
    await Promise.allSettled([paths.partial, paths.file, paths.manifestPartial, paths.manifest].map((p) => rm(p, { force: true })));
    const outage = isTransientOutage(err);
    if (outage && opts.lastAttempt === false) throw err;
    const message = outage ? `The database or job queue stayed unreachable through every retry: ${(err as Error)?.message ?? String(err)}` : ((err as Error)?.message ?? String(err));
    await prisma.exportJob.update({ where: { id: job.id }, data: { status: 'FAILED', error: message, uri: null, finishedAt: new Date() } }).catch(() => {});
    throw err;
  }
}
