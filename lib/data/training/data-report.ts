// Stores what a stage did with its data (items used, skipped per reason, shortened) on its job
// row, so the round page can show the counts beside the stage.
import { prisma } from '../../db';
import type { DataReport } from '../../shared/item-problems';

export async function saveDataReport(jobId: string, report: DataReport): Promise<void> {
  await prisma.trainingJob.update({ where: { id: jobId }, data: { dataReport: report as object } });
}
