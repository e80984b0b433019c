// One ranking set: its completions, every raw judgement, τ-b between each pair of labelers,
// the Copeland consensus and (when marked) the gold order.
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { setDetail } from '@/lib/data/quality/set-detail';
import { LongText } from '@/app/_components/markdown';
import styles from './set.module.css';

export const metadata: Metadata = { title: 'Ranking set' };

const tiersText = (tiers: number[][] | null) => (tiers ? tiers.map((t) => t.map((i) => `#${i}`).join(' = ')).join('  >  ') : '—');

export default async function SetPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser('RESEARCHER');
  const { id } = await params;
  const s = await setDetail(id);
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Ranking set</h1>
        <div className="row">
          <Link className="btn btn-sm" href={`/research/quality?projectId=${s.projectId}`}>
            Back to quality
          </Link>
          {user.role === 'ADMIN' && (
            <Link className="btn btn-sm btn-ghost" href={`/admin/gold?projectId=${s.projectId}&setId=${s.id}`}>
              {s.goldTiers ? 'Edit gold order' : 'Mark gold order'}
            </Link>
          )}
        </div>
      </div>
      <section className="card">
        <h2 className="card-title">Prompt</h2>
        <LongText text={s.prompt} />
        <p className="muted small">Sampled by {s.sourceModel}</p>
      </section>
      <section className="stack-sm" aria-labelledby="completions-title">
        <h2 id="completions-title">Completions</h2>
        <ol start={0} className={`stack-sm ${styles.list}`}>
          {s.completions.map((c) => (
            <li key={c.index} className={`card ${styles.completion}`} aria-label={`Completion #${c.index}`}>
              <span className={styles.index}>#{c.index}</span>
              <LongText text={c.text} />
            </li>
          ))}
        </ol>
      </section>
      <section className="card">
        <h2 className="card-title">Orders</h2>
        <p>
          Consensus (Copeland): <span className="mono">{tiersText(s.consensus?.tiers ?? null)}</span>
        </p>
        <p>
          Gold: <span className="mono">{tiersText(s.goldTiers)}</span>
        </p>
      </section>
      <section className="stack-sm" aria-labelledby="judgements-title">
        <h2 id="judgements-title">Judgements</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Labeler</th>
                <th scope="col">Ranking</th>
                <th scope="col">All bad</th>
                <th scope="col" className="num">Likert</th>
                <th scope="col" className="num">Time</th>
                {s.goldTiers && (
                  <th scope="col" className="num">
                    τ-b vs gold
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {s.judgements.map((j) => (
                <tr key={j.id}>
                  <th scope="row">{j.labeler}</th>
                  <td className="mono">{tiersText(j.tiers)}</td>
                  <td>{j.allBad ? 'yes' : 'no'}</td>
                  <td className="num">{j.likert ?? '—'}</td>
                  <td className="num">{(j.timeMs / 1000).toFixed(1)} s</td>
                  {s.goldTiers && <td className="num">{s.goldAgreement.find((g) => g.judgementId === j.id)?.tauB?.toFixed(2) ?? '—'}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="stack-sm" aria-labelledby="pairs-title">
        <h2 id="pairs-title">Kendall τ-b between each pair of labelers</h2>
        {s.pairs.length === 0 ? (
          <p className="muted">Fewer than two labelers ranked this set.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Labeler A</th>
                  <th scope="col">Labeler B</th>
                  <th scope="col" className="num">τ-b</th>
                </tr>
              </thead>
              <tbody>
                {s.pairs.map((p, i) => (
                  <tr key={i}>
                    <th scope="row">{p.a}</th>
                    <td>{p.b}</td>
                    <td className="num">{p.tauB === null ? 'undefined (all tied)' : p.tauB.toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
