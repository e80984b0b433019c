// Per-labeler agreement and bias for one project (used by export filters minAgreement and
// minGoldAgreement and minGoldAccuracy, computed over all of the project's judgements).
import { scanProjectQuality } from './scan';
import type { LabelerQuality } from './accumulate';

export async function labelerQuality(projectId: string): Promise<{ labelers: LabelerQuality[] }> {
  const report = await scanProjectQuality(projectId, { keepLowest: 0 });
  return { labelers: report.labelers };
}
