// The prompts list: text, split, source and how much work hangs off each prompt.
import Link from 'next/link';
import type { PromptRow } from '@/lib/data/browse/list-prompts';
import { formatDateTime } from '@/app/_components/format';
import { itemHref } from '../../links';
import { SplitBadge } from '../../_components/badges';
import styles from '../../data.module.css';

export function PromptsTable({ projectId, rows }: { projectId: string; rows: PromptRow[] }) {
  return (
    <div className="table-wrap">
      <table className={`table ${styles.cards}`}>
        <caption className="sr-only">Prompts</caption>
        <thead>
          <tr>
            <th scope="col">Prompt</th>
            <th scope="col">Split</th>
            <th scope="col">Source</th>
            <th scope="col" className="num">Tasks</th>
            <th scope="col" className="num">Sets</th>
            <th scope="col" className="num">Submissions</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row" className={styles.cellMain}>
                <Link href={itemHref(projectId, 'prompt', r.id)} className={styles.clip}>
                  {r.text}
                </Link>
                {r.textLength > 1000 && <span className="muted small">{r.textLength.toLocaleString('en')} characters</span>}
              </th>
              <td data-label="Split">
                <SplitBadge split={r.split} />
              </td>
              <td data-label="Source">{r.source.toLowerCase()}</td>
              <td data-label="Tasks" className="num">{r.tasks}</td>
              <td data-label="Sets" className="num">{r.sets}</td>
              <td data-label="Submissions" className="num">{r.submissions}</td>
              <td data-label="Created" className="nowrap">{formatDateTime(r.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
