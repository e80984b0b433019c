// Use cases: a user's export jobs (admins see everyone's), and one job.
// Access rule: an export job and its file belong to the researcher who asked for it; admins see
// all. Someone else's job answers 404, exactly like a job that does not exist, so ids cannot be
// probed. (The snapshot a job freezes is project data, readable by every researcher: see
// lib/data/snapshots/get-snapshot.ts.)
import { prisma } from '../../db';
import { AppError } from '../errors';
import { exportJobDto, type ExportJobDto } from './export-job-dto';

export type Viewer = { id: string; role: string };

/** The one check for "may this viewer see this export job (and its file)?". */
export function canSeeExportJob(viewer: Viewer, job: { userId: string }): boolean {
  return viewer.role === 'ADMIN' || job.userId === viewer.id;
}

export async function listExportJobs(viewer: Viewer, limit = 50): Promise<ExportJobDto[]> {
  const rows = await prisma.exportJob.findMany({
    where: viewer.role === 'ADMIN' ? {} : { userId: viewer.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  return rows.map(exportJobDto);
}

export async function getExportJob(viewer: Viewer, id: string): Promise<ExportJobDto> {
  const row = await prisma.exportJob.findUnique({ where: { id } });
  if (!row || !canSeeExportJob(viewer, row)) throw new AppError('NOT_FOUND', `Export job "${id}" does not exist.`);
  return exportJobDto(row);
}
