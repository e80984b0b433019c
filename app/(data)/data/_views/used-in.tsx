// Which frozen datasets used an item: a round's training data, or a researcher's snapshot.
import Link from 'next/link';
import type { UsedIn as UsedInList } from '@/lib/data/browse/item-common';
import { formatDateTime } from '@/app/_components/format';

/** `roundLinks`: admins open a round's page; researchers see its number (the page is admin-only). */
export function UsedIn({ usedIn, what, roundLinks }: { usedIn: UsedInList; what: string; roundLinks: boolean }) {
  return (
    <section className="card stack-sm" aria-labelledby="used-h">
      <h2 id="used-h" className="card-title">
        Used in
      </h2>
      {usedIn.length === 0 ? (
        <p className="muted">No training round or snapshot has used {what} yet.</p>
      ) : (
        <ul className="stack-sm">
          {usedIn.map((u) => (
            <li key={u.snapshotId}>
              {!u.round ? (
                <span>{u.kind.toLowerCase()} snapshot</span>
              ) : roundLinks ? (
                <Link href={`/admin/rounds/${u.round.id}`}>Round {u.round.number}</Link>
              ) : (
                <span>Round {u.round.number}</span>
              )}{' '}
              <span className="muted small">
                (snapshot <a href={`/api/snapshots/${u.snapshotId}`} className="mono">{u.snapshotId.slice(0, 8)}</a>, {formatDateTime(u.createdAt)})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
