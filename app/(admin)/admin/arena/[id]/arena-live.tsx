'use client';
// Polls GET /api/arena/:id/results every 3 s while the evaluation is generating or open, and
// redraws: the header, the generation's progress, vote progress, the leaderboard, the pairs and
// the labelers. Closing calls arena-collect's POST /api/arena/:id/close.
import { useEffect, useState } from 'react';
import Link from 'next/link';
import type { ArenaResults } from '@/lib/data/arena/results';
import { formatDateTime } from '@/app/_components/format';
import { LeaderboardTable } from './leaderboard-table';
import { PairTable } from './pair-table';
import styles from './arena.module.css';

const STATUS_CLASS: Record<ArenaResults['evaluation']['status'], string> = {
  GENERATING: 'badge badge-researcher',
  OPEN: 'badge badge-success',
  CLOSED: 'badge badge-muted',
  FAILED: 'badge badge-danger',
};

function Progress({ label, value, status }: { label: string; value: number; status?: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value * 100)));
  return (
    <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className={styles.progress}>
      <div className={styles.progressFill} data-status={status} style={{ width: `${pct}%` }} />
    </div>
  );
}

export function ArenaLive({ initial }: { initial: ArenaResults }) {
  const [results, setResults] = useState(initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [closing, setClosing] = useState(false);
  const ev = results.evaluation;
  const live = ev.status === 'GENERATING' || ev.status === 'OPEN';

  async function refresh() {
    const res = await fetch(`/api/arena/${ev.id}/results`, { cache: 'no-store' });
    if (res.ok) setResults((await res.json()).results);
  }

  useEffect(() => {
    if (!live) return;
    let stop = false;
    const t = setInterval(async () => {
      try {
        const res = await fetch(`/api/arena/${ev.id}/results`, { cache: 'no-store' });
        if (res.ok && !stop) setResults((await res.json()).results);
      } catch {
        /* keep the last view; try again */
      }
    }, 3000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [live, ev.id]);

  async function close() {
    if (!window.confirm(`Close “${ev.name}”? Labelers get no more of its battles; the votes so far stay.`)) return;
    setClosing(true);
    setMessage(null);
    try {
      const res = await fetch(`/api/arena/${ev.id}/close`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) setMessage({ ok: false, text: body?.error?.message ?? `Closing failed (${res.status}).` });
      else setMessage({ ok: true, text: 'Closed: no more votes are collected. The results below are final.' });
      await refresh();
    } finally {
      setClosing(false);
    }
  }

  const gen = results.generation;
  const { done, wanted } = results.votes;
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>{ev.name}</h1>
        <div className="row">
          <span className={STATUS_CLASS[ev.status]}>{ev.status.toLowerCase()}</span>
          {done > 0 && (
            <a className="btn btn-secondary btn-sm" href={`/api/arena/${ev.id}/export`} download>
              Download battles (Chatbot Arena JSONL)
            </a>
          )}
          {live && (
            <button type="button" className="btn btn-danger btn-sm" onClick={close} disabled={closing}>
              {closing ? 'Closing…' : 'Close evaluation'}
            </button>
          )}
        </div>
      </div>
      {message && (
        <div className={`alert ${message.ok ? 'alert-success' : 'alert-error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </div>
      )}
      <p className="small muted">
        Project {ev.projectName}
        {ev.round && (
          <>
            {' '}· <Link href={`/admin/rounds/${ev.round.id}`}>round {ev.round.number}</Link>
          </>
        )}{' '}
        · {results.prompts} held-out prompts · {results.battles} battles · {ev.votesPerBattle} vote{ev.votesPerBattle === 1 ? '' : 's'} per battle · started{' '}
        {formatDateTime(ev.createdAt)}
        {ev.closedAt && <> · closed {formatDateTime(ev.closedAt)}</>}
      </p>
      {ev.error && (
        <div className="alert alert-error" role="alert">
          {ev.status === 'FAILED' ? 'Generation failed: ' : ''}
          {ev.error}
        </div>
      )}

      {(ev.status === 'GENERATING' || (ev.status === 'FAILED' && gen)) && (
        <section className="card stack-sm" aria-labelledby="gen-title">
          <h2 id="gen-title" className="card-title">
            Writing the replies
          </h2>
          <Progress label="Reply generation progress" value={gen?.progress ?? 0} status={gen?.status} />
          <p className="small muted">
            {gen ? `${gen.status.toLowerCase()} · step ${gen.step} / ${gen.totalSteps || '?'}` : 'waiting for a worker'} — battles reach labelers once every model has answered every prompt.
          </p>
        </section>
      )}

      <section className="card stack-sm" aria-labelledby="votes-title">
        <h2 id="votes-title" className="card-title">
          Votes
        </h2>
        <Progress label="Votes collected" value={wanted ? done / wanted : 0} />
        <p className="small">
          <strong>{done}</strong> of {wanted} votes wanted
          {results.labelers.length > 0 && <> · from {results.labelers.length} labeler{results.labelers.length === 1 ? '' : 's'}</>}
        </p>
      </section>

      <section className="card stack-sm" aria-labelledby="lb-title">
        <h2 id="lb-title" className="card-title">
          Leaderboard
        </h2>
        <LeaderboardTable rows={results.leaderboard} />
        <p className="small muted">
          Bradley–Terry ratings from every vote (a tie or a both-bad tie counts half a win each way), on Chatbot Arena’s scale: the mean is 1000 and a
          gap of 100 points means the higher model is preferred about 64% of the time. Intervals: 95% percentile bootstrap over votes ({results.bootstrap.rounds}{' '}
          resamples). Rank 1 + the models whose whole interval lies above this one.
        </p>
      </section>

      <section className="card stack-sm" aria-labelledby="pairs-title">
        <h2 id="pairs-title" className="card-title">
          Win rates per pair
        </h2>
        <PairTable pairs={results.pairs} />
      </section>

      {results.labelers.length > 0 && (
        <section className="card stack-sm" aria-labelledby="labelers-title">
          <h2 id="labelers-title" className="card-title">
            Votes per labeler
          </h2>
          <div className="table-wrap">
            <table className="table small" aria-label="Votes per labeler">
              <thead>
                <tr>
                  <th scope="col">Labeler</th>
                  <th scope="col">Judge id in the export</th>
                  <th scope="col" className="num">Votes</th>
                </tr>
              </thead>
              <tbody>
                {results.labelers.map((l) => (
                  <tr key={l.judge}>
                    <td>{l.name}</td>
                    <td className="mono">{l.judge}</td>
                    <td className="num">{l.votes}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}
