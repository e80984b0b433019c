// The completion sets list: prompt, K, judgements against the overlap wanted, task status, gold.
import Link from 'next/link';
import type { SetRow } from '@/lib/data/browse/list-sets';
import { formatDateTime } from '@/app/_components/format';
import { itemHref } from '../../links';
import { GoldBadge, SplitBadge, StatusBadge } from '../../_components/badges';
import styles from '../../data.module.css';

export function SetsTable({ projectId, rows }: { projectId: string; rows: SetRow[] }) {
  return (
    <div className="table-wrap">
      <table className={`table ${styles.cards}`}>
        <caption className="sr-only">Completion sets</caption>
        <thead>
          <tr>
            <th scope="col">Prompt</th>
            <th scope="col" className="num">K</th>
            <th scope="col" className="num">Judgements</th>
            <th scope="col">Task</th>
            <th scope="col">Gold</th>
            <th scope="col">Sampled by</th>
            <th scope="col">Split</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-set={r.id}>
              <th scope="row" className={styles.cellMain}>
                <Link href={itemHref(projectId, 'set', r.id)} className={styles.clip}>
                  {r.prompt}
                </Link>
                {r.fromDialogue && <span className="muted small">continues a dialogue</span>}
              </th>
              <td data-label="K" className="num">{r.k}</td>
              <td data-label="Judgements" className="num">
                {r.judgements}
                {r.wanted !== null && <span className="muted"> / {r.wanted}</span>}
              </td>
              <td data-label="Task">
                <StatusBadge status={r.taskStatus} />
              </td>
              <td data-label="Gold">{r.gold ? <GoldBadge gold /> : <span className="muted">no</span>}</td>
              <td data-label="Sampled by">
                {r.sourceModel}
                {r.sampledByRound !== null && <span className="muted"> (round {r.sampledByRound})</span>}
              </td>
              <td data-label="Split">
                <SplitBadge split={r.split} />
              </td>
              <td data-label="Created" className="nowrap">{formatDateTime(r.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
