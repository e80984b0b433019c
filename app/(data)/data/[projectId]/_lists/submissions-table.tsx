// The submissions list: demonstrations, dialogues and ranking judgements, newest first.
import Link from 'next/link';
import type { SubmissionRow } from '@/lib/data/browse/list-submissions';
import { formatDateTime } from '@/app/_components/format';
import { itemHref } from '../../links';
import { seconds } from '../../_components/badges';
import { Tiers } from '../../_components/tiers';
import styles from '../../data.module.css';

const TYPE: Record<SubmissionRow['type'], string> = { demonstration: 'Demonstration', conversation: 'Dialogue', judgement: 'Ranking' };

function Details({ r }: { r: SubmissionRow }) {
  if (r.type === 'judgement') {
    return (
      <span className="row">
        <Tiers tiers={r.tiers} />
        {r.allBad && <span className="badge badge-danger">all bad</span>}
        {r.flagged > 0 && <span className="badge badge-danger">{r.flagged} flagged</span>}
        {r.likert !== null && <span className="muted small">likert {r.likert}</span>}
      </span>
    );
  }
  if (r.type === 'conversation') return <span>{r.turns} turns{r.submitted ? '' : ' · in progress'}</span>;
  return null;
}

export function SubmissionsTable({ projectId, rows }: { projectId: string; rows: SubmissionRow[] }) {
  return (
    <div className="table-wrap">
      <table className={`table ${styles.cards}`}>
        <caption className="sr-only">Submissions</caption>
        <thead>
          <tr>
            <th scope="col">Submission</th>
            <th scope="col">Labeler</th>
            <th scope="col">Prompt</th>
            <th scope="col">Details</th>
            <th scope="col" className="num">Time</th>
            <th scope="col" className="num">Guidelines</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.type}-${r.id}`}>
              <th scope="row" className={styles.cellMain}>
                <Link href={itemHref(projectId, r.type, r.id)}>{TYPE[r.type]}</Link>
                {r.preview && <span className={`muted small ${styles.clip}`}>{r.preview}</span>}
              </th>
              <td data-label="Labeler">{r.labeler.name}</td>
              <td data-label="Prompt">
                {r.promptId ? (
                  <Link href={itemHref(projectId, 'prompt', r.promptId)} className={styles.clip}>
                    {r.prompt}
                  </Link>
                ) : (
                  <span className="muted">none</span>
                )}
              </td>
              <td data-label="Details">
                <Details r={r} />
              </td>
              <td data-label="Time" className="num nowrap">{seconds(r.timeMs)}</td>
              <td data-label="Guidelines" className="num">v{r.guidelineVersion}</td>
              <td data-label="Created" className="nowrap">{formatDateTime(r.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
