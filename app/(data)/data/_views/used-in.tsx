// Which frozen datasets used an item: a round's training data, or a researcher's snapshot.
import Link from 'next/link';
import type { UsedIn as UsedInList } from '@/lib/data/browse/item-common';
import { formatDateTime } from '@/app/_components/format';

export function UsedIn({ usedIn, what }: { usedIn: UsedInList; what: string }) {
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
              {u.round ? <Link href={`/admin/rounds/${u.round.id}`}>Round {u.round.number}</Link> : <span>{u.kind.toLowerCase()} snapshot</span>}{' '}
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
