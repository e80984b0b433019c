'use client';
// Polls GET /api/rounds/:id every 1.5 s while the round runs and redraws. The stages are one line
// of chips; a stage gets its card (progress, data used and skipped, charts, logs) once it starts.
import { useEffect, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { RoundView, StageView } from '@/lib/data/rounds/get-round';
import { LineChart } from '../_components/line-chart';
import { StatusBadge } from '../_components/status-badge';
import { formatDateTime } from '@/app/_components/format';
import { StagePipeline } from '../_components/stage-pipeline';
import { CancelBanner } from '../_components/cancel-banner';
import { DataReportLine } from '../_components/data-report-line';

/** A queued stage, or one cancelled before it started, is a chip only. */
const started = (j: StageView) => !(j.status === 'QUEUED' || (j.status === 'CANCELLED' && !j.startedAt));

const CHARTS: Record<string, { title: string; keys: string[] }[]> = {
  PRETRAIN: [{ title: 'loss', keys: ['loss'] }, { title: 'held-out loss', keys: ['eval_loss'] }],
  SFT: [{ title: 'loss', keys: ['loss'] }, { title: 'held-out loss', keys: ['eval_loss'] }],
  RM: [{ title: 'loss', keys: ['loss'] }, { title: 'RM accuracy (batch)', keys: ['accuracy'] }, { title: 'RM accuracy (held out)', keys: ['eval_accuracy'] }],
  PPO: [{ title: 'reward (RM score)', keys: ['score'] }, { title: 'KL from SFT', keys: ['kl'] }, { title: 'entropy', keys: ['entropy'] }, { title: 'policy loss', keys: ['policy_loss'] }, { title: 'value loss', keys: ['value_loss'] }],
  DPO: [
    { title: 'DPO loss', keys: ['loss'] },
    { title: 'preference accuracy (batch)', keys: ['rewards/accuracies'] },
    { title: 'reward margin (chosen − rejected)', keys: ['rewards/margins'] },
    { title: 'preference accuracy (held out)', keys: ['eval_rewards/accuracies'] },
  ],
};

function series(job: StageView, key: string) {
  return job.metrics.filter((m) => typeof m.values[key] === 'number').map((m) => ({ step: m.step, value: m.values[key] }));
}

function eta(s: number | null): string {
  if (s === null || s === undefined) return '';
  if (s < 60) return `${s}s left`;
  return `${Math.floor(s / 60)}m ${s % 60}s left`;
}

export function RoundLive({ initial }: { initial: RoundView }) {
  const [round, setRound] = useState(initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const live = round.status === 'QUEUED' || round.status === 'RUNNING';
  const router = useRouter();
  const wasLive = useRef(live);

  // The round just ended while watched: re-read the server's parts of the page (the human
  // evaluation card offers its button once the policy is published).
  useEffect(() => {
    if (wasLive.current && !live) router.refresh();
    wasLive.current = live;
  }, [live, router]);

  useEffect(() => {
    if (!live) return;
    let stop = false;
    const tick = async () => {
      try {
        const res = await fetch(`/api/rounds/${round.id}`, { cache: 'no-store' });
        if (res.ok && !stop) setRound((await res.json()).round);
      } catch {
        /* keep the last view; try again */
      }
    };
    const t = setInterval(tick, 1500);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [live, round.id]);

  /** `ok` null: the refreshed round says what happened (the cancel banner). */
  async function post(url: string, ok: string | null) {
    setMessage(null);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) setMessage({ ok: false, text: body?.error?.message ?? `Failed (${res.status}).` });
    else if (ok) setMessage({ ok: true, text: ok });
    const r = await fetch(`/api/rounds/${round.id}`, { cache: 'no-store' });
    if (r.ok) setRound((await r.json()).round);
  }

  const ev = round.evaluation;
  // A round without an rm stage (sft → dpo, say) has no reward model to score with: its evaluation is KL only.
  const scored = round.stages.includes('rm');
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>
          Round {round.number} · {round.projectName}
        </h1>
        <div className="row">
          <StatusBadge status={round.status} />
          {live && !round.jobs.some((j) => j.cancelRequested) && (
            <button className="btn btn-danger btn-sm" onClick={() => post(`/api/rounds/${round.id}/cancel`, null)}>
              Cancel round
            </button>
          )}
        </div>
      </div>
      {message && (
        <div className={`alert ${message.ok ? 'alert-success' : 'alert-error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </div>
      )}
      <CancelBanner round={round} />
      {round.error && (
        <div className="alert alert-error" role="alert">
          {round.error}
        </div>
      )}
      <p className="small muted">
        Preset <span className="mono">{round.preset}</span> · start {round.startCheckpoint ? `${round.startCheckpoint.kind} ${round.startCheckpoint.name}` : 'a new base'} · snapshot{' '}
        <span className="mono" title={round.snapshot?.sha256}>
          {round.snapshot?.sha256.slice(0, 12)}
        </span>{' '}
        ({round.snapshot?.rowCount} items) · launched {formatDateTime(round.createdAt)}
      </p>
      <StagePipeline jobs={round.jobs} />

      {round.jobs.filter(started).map((j) => (
        <section key={j.id} className="card stack-sm" aria-label={`Stage ${j.stage}`}>
          <div className="row-between">
            <h2 className="card-title">{j.stage}</h2>
            <span className="row small">
              <StatusBadge status={j.status} />
              {j.status === 'RUNNING' && <span className="muted">{eta(j.etaSeconds)}</span>}
              {j.attempts > 1 && <span className="badge badge-muted">attempt {j.attempts}</span>}
              {j.backend && <span className="muted mono">{j.backend}</span>}
            </span>
          </div>
          <div
            role="progressbar"
            aria-label={`${j.stage} progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(j.progress * 100)}
            style={{ height: 10, background: '#e5e7eb', borderRadius: 5, overflow: 'hidden' }}
          >
            <div style={{ width: `${Math.round(j.progress * 100)}%`, height: '100%', background: j.status === 'FAILED' ? '#dc2626' : '#2563eb', transition: 'width .5s' }} />
          </div>
          <div className="small muted">
            step {j.step} / {j.totalSteps || '?'}
            {j.resumeUri && <> · last checkpoint <span className="mono">{j.resumeUri}</span></>}
          </div>
          {j.dataReport && <DataReportLine report={j.dataReport} />}
          {j.error && (
            <div className="alert alert-error" role="alert">
              {j.stage} failed: {j.error}
            </div>
          )}
          {CHARTS[j.stage] && j.metrics.length > 0 && (
            <div className="row" style={{ flexWrap: 'wrap', gap: 8 }}>
              {CHARTS[j.stage].map((c) => (
                <LineChart key={c.title} title={c.title} points={series(j, c.keys[0])} />
              ))}
            </div>
          )}
          {j.logs.length > 0 && (
            <details>
              <summary className="small">Logs ({j.logs.length})</summary>
              <pre className="mono small" style={{ whiteSpace: 'pre-wrap', maxHeight: 240, overflow: 'auto' }}>
                {j.logs.map((l) => `${l.at.slice(11, 19)} ${l.level.toUpperCase().padEnd(5)} ${l.message}`).join('\n')}
              </pre>
            </details>
          )}
        </section>
      ))}

      {ev && (
        <section className="card stack-sm" aria-labelledby="eval-title">
          <h2 id="eval-title" className="card-title">
            Evaluation {ev.passed ? <span className="badge badge-success">passed</span> : <span className="badge badge-danger">failed</span>}
          </h2>
          {!ev.passed && <div className="alert alert-warning">{ev.reasons.join('; ')}</div>}
          <dl className="grid-3 small">
            <div>
              <dt className="muted">RM accuracy (held-out rankings)</dt>
              <dd className="mono">{!scored ? 'n/a: no reward model in this round' : ev.rmAccuracy === null ? 'n/a' : `${(ev.rmAccuracy * 100).toFixed(1)}% of ${ev.rmPairs} pairs`}</dd>
            </div>
            <div>
              <dt className="muted">Mean RM score: new vs previous</dt>
              <dd className="mono">{scored ? `${ev.meanScoreCandidate.toFixed(3)} vs ${ev.meanScorePrevious.toFixed(3)}` : 'n/a: no reward model in this round'}</dd>
            </div>
            <div>
              <dt className="muted">KL(new ‖ previous), {ev.prompts} held-out prompts</dt>
              <dd className="mono">{ev.kl.toFixed(3)}</dd>
            </div>
          </dl>
          {ev.samples.length > 0 && (
            <div className="table-wrap">
              <table className="table small">
                <thead>
                  <tr>
                    <th scope="col">Prompt</th>
                    <th scope="col">{ev.previous.charAt(0).toUpperCase() + ev.previous.slice(1)}</th>
                    <th scope="col">New policy</th>
                  </tr>
                </thead>
                <tbody>
                  {ev.samples.map((s, i) => (
                    <tr key={i}>
                      <td>{s.prompt}</td>
                      <td>
                        {s.previous || <em className="muted">(empty)</em>} {scored && <span className="muted mono">({s.previousScore.toFixed(2)})</span>}
                      </td>
                      <td>
                        {s.candidate || <em className="muted">(empty)</em>} {scored && <span className="muted mono">({s.candidateScore.toFixed(2)})</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      {round.checkpoints.length > 0 && (
        <section className="card stack-sm" aria-labelledby="ck-title">
          <h2 id="ck-title" className="card-title">
            Published checkpoints
          </h2>
          <ul className="stack-sm">
            {round.checkpoints.map((c) => (
              <li key={c.id} className="row-between">
                <span>
                  <strong>{c.kind}</strong> <span className="mono">{c.name}</span> <StatusBadge status={c.status} /> {c.active && <span className="badge badge-success">active</span>}
                </span>
                {c.kind === 'POLICY' && !c.active && c.status === 'READY' && (
                  <button className="btn btn-primary btn-sm" onClick={() => post(`/api/checkpoints/${c.id}/promote`, `Promoted ${c.name}: it now samples the next ranking tasks.`)}>
                    Promote {c.name}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
