// The quality page's gold section: each labeler's agreement with gold (pairwise accuracy over
// the gold orders' non-tied pairs, and mean τ-b), who falls below the project's bar, and, for
// admins, the button that leaves a labeler's judgements out of the next round snapshots.
import Link from 'next/link';
import type { ProjectQuality } from '@/lib/data/quality/project-quality';
import { setExclusionAction } from './actions';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(2));

function shareWords(share: number): string {
  if (share <= 0) return 'off';
  const oneIn = 1 / share;
  return Number.isInteger(Math.round(oneIn * 100) / 100) ? `1 in ${Math.round(oneIn)} ranking tasks` : `${Math.round(share * 100)}% of ranking tasks`;
}

export function GoldLabelers({ q, isAdmin }: { q: ProjectQuality; isAdmin: boolean }) {
  // flagged labelers an admin has not excluded yet: the ones that still need a decision
  const flagged = q.labelers.filter((l) => l.flagged && !l.excluded);
  const bar = pct(q.project.goldMinAccuracy);
  return (
    <section aria-labelledby="gold-labelers-title" className="card stack-sm" data-testid="gold-labelers">
      <h2 id="gold-labelers-title" className="card-title">
        Gold accuracy per labeler
      </h2>
      <p className="muted small">
        Gold honeypots: {shareWords(q.project.goldShare)} · {q.goldSets} gold {q.goldSets === 1 ? 'set' : 'sets'} · flagged below {bar} accuracy over at least {q.minGoldPairsToFlag} gold pairs.{' '}
        {q.project.goldShare <= 0 && <>Set the share of gold tasks on the project&apos;s settings to put gold sets in front of every labeler. </>}
        {isAdmin && <Link href={`/admin/gold?projectId=${q.project.id}`}>Mark gold sets</Link>}
      </p>
      {flagged.length > 0 && (
        <div className="alert alert-warning" role="status">
          {flagged.length === 1 ? `${flagged[0].name} is` : `${flagged.length} labelers are`} below the gold bar ({bar} of gold pairs ordered as gold).{' '}
          {isAdmin ? 'Check their work, then exclude their judgements from the next snapshot if needed.' : 'An admin can exclude their judgements from the next snapshot.'}
        </div>
      )}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Labeler</th>
              <th scope="col" className="num">Gold accuracy</th>
              <th scope="col" className="num">Gold pairs</th>
              <th scope="col" className="num">Gold sets</th>
              <th scope="col" className="num">Gold τ-b</th>
              <th scope="col">Status</th>
              {isAdmin && <th scope="col">Next snapshot</th>}
            </tr>
          </thead>
          <tbody>
            {q.labelers.map((l) => (
              <tr key={l.userId} data-testid={`gold-row-${l.userId}`}>
                <th scope="row">{l.name}</th>
                <td className="num">{pct(l.goldAccuracy)}</td>
                <td className="num">{l.goldPairs}</td>
                <td className="num">{l.goldSets}</td>
                <td className="num">{fmt(l.goldAgreement)}</td>
                <td>
                  <span className="row" style={{ gap: '0.25rem', flexWrap: 'wrap', whiteSpace: 'nowrap' }}>
                    {l.flagged && <span className="badge badge-danger">Below gold bar</span>}
                    {l.excluded && <span className="badge badge-muted">Excluded from next snapshot</span>}
                    {!l.flagged && !l.excluded && <span className="muted small">{l.goldPairs < q.minGoldPairsToFlag ? 'Too few gold pairs' : 'OK'}</span>}
                  </span>
                </td>
                {isAdmin && (
                  <td>
                    <form action={setExclusionAction}>
                      <input type="hidden" name="projectId" value={q.project.id} />
                      <input type="hidden" name="userId" value={l.userId} />
                      <input type="hidden" name="exclude" value={l.excluded ? 'false' : 'true'} />
                      <button type="submit" className={`btn btn-sm ${l.excluded ? 'btn-secondary' : l.flagged ? 'btn-danger' : 'btn-ghost'}`} aria-label={`${l.excluded ? 'Include' : 'Exclude'} ${l.name} ${l.excluded ? 'in' : 'from'} the next snapshot`}>
                        {l.excluded ? 'Include again' : 'Exclude'}
                      </button>
                    </form>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Gold accuracy: the share of the gold orders&apos; non-tied pairs this labeler ordered as gold did; a pair the labeler tied counts as wrong. Excluding leaves the labeler&apos;s rankings out of the next round snapshots and the launch pre-flight counts; frozen snapshots keep theirs.
      </p>
    </section>
  );
}
