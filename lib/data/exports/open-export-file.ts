// Use case: the finished file of an export job, for its owner (or an admin).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { projectSlug } from '../projects/project-slug';
import { exportFileName } from './export-file-name';
import type { Viewer } from './list-export-jobs';

export async function openExportFile(viewer: Viewer, id: string) {
  const job = await prisma.exportJob.findUnique({ where: { id } });
  if (!job || (job.userId !== viewer.id && viewer.role !== 'ADMIN')) throw new AppError('NOT_FOUND', `Export job "${id}" does not exist.`);
  if (job.status === 'FAILED') throw new AppError('GONE', `Export job "${id}" failed: ${job.error ?? 'unknown error'}. It left no file.`);
  if (job.status !== 'SUCCEEDED' || !job.uri) throw new AppError('CONFLICT', `Export job "${id}" is ${job.status.toLowerCase()}; its file is ready when the status is SUCCEEDED.`);
  const size = await stat(job.uri).then((s) => s.size).catch(() => null);
  if (size === null) throw new AppError('GONE', `The file of export job "${id}" is no longer on the server.`);
  // A job exports the snapshot it froze (or was given): its project, snapshot and format name the file.
  const snapshot = job.snapshotId ? await prisma.datasetSnapshot.findUnique({ where: { id: job.snapshotId }, select: { projectId: true } }) : null;
  const filterProject = (job.filter as { projectId?: unknown } | null)?.projectId;
  const slug = await projectSlug(snapshot?.projectId ?? (typeof filterProject === 'string' ? filterProject : null));
  const name = exportFileName({ slug, snapshotId: job.snapshotId, format: job.format, gzip: job.gzip, date: job.createdAt });
  return {
    filename: name,
    size,
    sha256: job.sha256,
    contentType: job.gzip ? 'application/gzip' : 'application/x-ndjson; charset=utf-8',
    body: Readable.toWeb(createReadStream(job.uri)) as ReadableStream<Uint8Array>,
  };
}
