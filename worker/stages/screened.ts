// What a stage's trainer decided about its items (lib/ml/data/screen.ts), written where the admin
// looks: one line in the job log ("Skipped 3 of 40 SFT items: …") and the counts on the job row.
import { saveDataReport } from '../../lib/data/training/data-report';
import { screenSummary, skipCounts, type Screen } from '../../lib/ml/data/screen';
import type { StageRun } from './run';

export async function reportScreen(run: StageRun, s: Screen<unknown>): Promise<void> {
  const line = screenSummary(s);
  if (line) await run.note(line, s.skipped.length ? 'warn' : 'info');
  await saveDataReport(run.row.id, {
    stage: s.stage,
    total: s.total,
    used: s.kept.length,
    skipped: s.skipped.length,
    shortened: s.shortened.length,
    context: s.context,
    reasons: skipCounts(s.skipped),
  });
}
