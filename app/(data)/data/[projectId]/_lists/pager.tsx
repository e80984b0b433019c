// "Showing 26–50 of 312" and links to the previous and next page, keeping the filters.
import Link from 'next/link';
import type { BrowseQuery } from '@/lib/data/browse/filters';
import { listHref } from '../../links';
import styles from '../../data.module.css';

export function Pager({ projectId, query, total, pages }: { projectId: string; query: BrowseQuery; total: number; pages: number }) {
  const { page, pageSize } = query;
  const first = total === 0 ? 0 : Math.min((page - 1) * pageSize + 1, total + 1);
  const last = Math.min(page * pageSize, total);
  return (
    <nav className={styles.pager} aria-label="Pages">
      <span className="muted" aria-live="polite">
        {first > total ? `Page ${page} is past the end: there are ${total.toLocaleString('en')}.` : `Showing ${first.toLocaleString('en')}–${last.toLocaleString('en')} of ${total.toLocaleString('en')}`}
      </span>
      <span className="row">
        {page > 1 ? (
          <Link className="btn btn-sm" href={listHref(projectId, query, { page: Math.min(page - 1, pages) })} rel="prev">
            ← Previous
          </Link>
        ) : (
          <span className="btn btn-sm" aria-disabled="true">
            ← Previous
          </span>
        )}
        <span className="small">
          Page {page} of {pages}
        </span>
        {page < pages ? (
          <Link className="btn btn-sm" href={listHref(projectId, query, { page: page + 1 })} rel="next">
            Next →
          </Link>
        ) : (
          <span className="btn btn-sm" aria-disabled="true">
            Next →
          </span>
        )}
      </span>
    </nav>
  );
}
