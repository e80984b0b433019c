// The tasks list: kind, status, submissions done against wanted, live leases, what it is about.
import Link from 'next/link';
import type { TaskRow } from '@/lib/data/browse/list-tasks';
import { formatDateTime } from '@/app/_components/format';
import { itemHref } from '../../links';
import { SplitBadge, StatusBadge } from '../../_components/badges';
import styles from '../../data.module.css';

const KIND: Record<TaskRow['kind'], string> = { DEMONSTRATION: 'Demonstration', DIALOGUE: 'Dialogue', RANKING: 'Ranking' };

export function TasksTable({ projectId, rows }: { projectId: string; rows: TaskRow[] }) {
  return (
    <div className="table-wrap">
      <table className={`table ${styles.cards}`}>
        <caption className="sr-only">Tasks</caption>
        <thead>
          <tr>
            <th scope="col">About</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Done / wanted</th>
            <th scope="col" className="num">Leased now</th>
            <th scope="col" className="num">Labelers</th>
            <th scope="col">Split</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const href = r.setId ? itemHref(projectId, 'set', r.setId) : r.promptId ? itemHref(projectId, 'prompt', r.promptId) : null;
            return (
              <tr key={r.id}>
                <th scope="row" className={styles.cellMain}>
                  {href ? (
                    <Link href={href} className={styles.clip}>
                      {r.prompt ?? 'Free dialogue (no prompt)'}
                    </Link>
                  ) : (
                    <span className="muted">Free dialogue (no prompt)</span>
                  )}
                  <span className="muted small mono">task {r.id}</span>
                </th>
                <td data-label="Kind">{KIND[r.kind]}</td>
                <td data-label="Status">
                  <StatusBadge status={r.status} />
                </td>
                <td data-label="Done / wanted" className="num">
                  {r.doneCount} / {r.wanted}
                </td>
                <td data-label="Leased now" className="num">{r.activeCount}</td>
                <td data-label="Labelers" className="num">{r.labelers}</td>
                <td data-label="Split">
                  <SplitBadge split={r.split} />
                </td>
                <td data-label="Created" className="nowrap">{formatDateTime(r.createdAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
