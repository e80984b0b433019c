'use client';
// The round's verdict by people: once the round published a policy, a button that starts an arena
// evaluation of it against the previous policy (POST /api/arena {projectId, roundId}); once votes
// exist, the human win rate with its counts and 95% interval, linking to the evaluation.
import { useEffect, useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { RoundHumanEvaluation } from '@/lib/data/arena/round-win-rate';

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function HumanEvaluation({ projectId, roundId, initial }: { projectId: string; roundId: string; initial: RoundHumanEvaluation }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<{ id: string; name: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const { evaluation: ev, winRate } = initial;
  const running = ev && (ev.status === 'GENERATING' || ev.status === 'OPEN');

  // While votes come in, re-read the server's numbers every 10 s.
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => router.refresh(), 10_000);
    return () => clearInterval(t);
  }, [running, router]);

  if (!initial.hasPolicy && !ev) return null;

  async function start() {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/arena', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ projectId, roundId }) });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) setError(body?.error?.message ?? `Starting the evaluation failed (${res.status}).`);
      else {
        setStarted({ id: body.evaluation.id, name: body.evaluation.name ?? 'the evaluation' });
        router.refresh();
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack-sm" aria-labelledby="human-eval-title">
      <h2 id="human-eval-title" className="card-title">
        Human evaluation
      </h2>
      {winRate && ev ? (
        <p>
          <Link href={`/admin/arena/${ev.id}`}>
            Human win rate vs previous policy: <strong>{pct(winRate.rate)}</strong> ({winRate.wins} W · {winRate.losses} L · {winRate.ties} T, {winRate.votes} vote
            {winRate.votes === 1 ? '' : 's'}; 95% CI {Math.round(winRate.ci95[0] * 100)}–{pct(winRate.ci95[1])})
          </Link>
          <span className="small muted">
            {' '}
            — {ev.candidate} against {ev.previous}, blind A/B votes{ev.status === 'OPEN' ? ', still collecting' : ''}
          </span>
        </p>
      ) : ev ? (
        <p className="small">
          <Link href={`/admin/arena/${ev.id}`}>{ev.name}</Link> ({ev.status.toLowerCase()}):{' '}
          {ev.status === 'GENERATING' ? 'writing the replies; labelers get the battles next.' : ev.status === 'FAILED' ? 'the replies could not be written.' : 'no votes yet.'}
        </p>
      ) : (
        <p className="small muted">People have not compared this round’s policy with the previous one yet.</p>
      )}
      {started && (
        <div className="alert alert-success" role="status">
          Started <Link href={`/admin/arena/${started.id}`}>{started.name}</Link>: labelers get its battles once the replies are written.
        </div>
      )}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      {initial.hasPolicy && !running && !started && (
        <div>
          <button type="button" className="btn btn-primary btn-sm" onClick={start} disabled={busy}>
            {busy ? 'Starting…' : 'Evaluate with people vs previous policy'}
          </button>
        </div>
      )}
    </section>
  );
}
