// What a stage did with its items, in one line: used, skipped (with the reasons in words) and
// shortened, from the trainer's own screening (lib/ml/data/screen.ts via TrainingJob.dataReport).
import { STAGE_ITEMS, describeSkips, type DataReport } from '@/lib/shared/item-problems';
import styles from '../rounds.module.css';

export function DataReportLine({ report }: { report: DataReport }) {
  const what = STAGE_ITEMS[report.stage].plural;
  return (
    <p className={`small ${styles.dataLine}`} data-testid={`data-report-${report.stage}`}>
      Used <strong>{report.used}</strong> of {report.total} {what}
      {report.skipped > 0 && (
        <>
          {' · '}
          <strong className={styles.skipped}>{report.skipped} skipped</strong>: {describeSkips(report.reasons, report.context)}
        </>
      )}
      {report.shortened > 0 && <> · {report.shortened} shortened to fit {report.context} tokens</>}
    </p>
  );
}
