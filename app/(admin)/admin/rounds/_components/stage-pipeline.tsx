// A round's stages as one line of chips (queued stages take no card of their own): each with its
// status, progress while it runs, and how many items it skipped.
import type { StageView } from '@/lib/data/rounds/get-round';
import styles from '../rounds.module.css';

function chipText(j: StageView): string {
  if (j.status === 'RUNNING') return `${j.stage.toLowerCase()} ${Math.round(j.progress * 100)}%`;
  return `${j.stage.toLowerCase()} · ${j.status.toLowerCase()}`;
}

export function StagePipeline({ jobs }: { jobs: StageView[] }) {
  return (
    <ol className={styles.pipeline} aria-label="Stages">
      {jobs.map((j) => (
        <li key={j.id}>
          <span className={styles.chip} data-status={j.status}>
            {chipText(j)}
            {j.dataReport && j.dataReport.skipped > 0 && <span className={styles.chipNote}> · {j.dataReport.skipped} skipped</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
