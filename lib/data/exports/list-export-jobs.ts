// Use cases: a user's export jobs (admins see everyone's), and one job.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { exportJobDto, type ExportJobDto } from './export-job-dto';

export type Viewer = { id: string; role: string };

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
  if (!row || (row.userId !== viewer.id && viewer.role !== 'ADMIN')) throw new AppError('NOT_FOUND', `Export job "${id}" does not exist.`);
  return exportJobDto(row);
}
