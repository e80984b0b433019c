// Follows a round through GET /api/rounds/:id, reporting stage changes, new metric steps and
// the end, until the round is finished.
import type { HoneClient } from './client';

type Job = { id: string; stage: string; status: string; step: number; totalSteps: number; etaSeconds: number | null; error: string | null; startedAt: string | null; finishedAt: string | null; metrics: { step: number; values: Record<string, number> }[] };
export type RoundDto = {
  id: string;
  number: number;
  status: string;
  error: string | null;
  jobs: Job[];
  evaluation: null | { rmAccuracy: number | null; rmPairs: number; meanScoreCandidate: number; meanScorePrevious: number; kl: number; passed: boolean; reasons: string[]; samples: { prompt: string; previous: string; candidate: string }[] };
  checkpoints: { id: string; kind: string; name: string; status: string; active: boolean }[];
};

export type WatchEvents = {
  onStage?(job: Job): void;
  onMetric?(job: Job, step: number, values: Record<string, number>): void;
};

export async function watchRound(admin: HoneClient, roundId: string, ev: WatchEvents = {}, opts: { everyMs?: number; timeoutMs?: number } = {}): Promise<RoundDto> {
  const seenStep = new Map<string, number>();
  const seenStatus = new Map<string, string>();
  const deadline = Date.now() + (opts.timeoutMs ?? 3_600_000);
  for (;;) {
    const { round } = await admin.get<{ round: RoundDto }>(`/api/rounds/${roundId}`);
    for (const j of round.jobs) {
      if (j.status !== 'QUEUED' && seenStatus.get(j.id) === undefined) {
        seenStatus.set(j.id, 'RUNNING');
        ev.onStage?.({ ...j, status: 'RUNNING' });
      }
      const last = seenStep.get(j.id) ?? 0;
      for (const m of j.metrics) if (m.step > last) ev.onMetric?.(j, m.step, m.values);
      if (j.metrics.length) seenStep.set(j.id, Math.max(last, j.metrics.at(-1)!.step));
      if (j.status !== 'QUEUED' && j.status !== 'RUNNING' && seenStatus.get(j.id) !== j.status) {
        seenStatus.set(j.id, j.status);
        ev.onStage?.(j);
      }
    }
    if (round.status !== 'QUEUED' && round.status !== 'RUNNING') return round;
    if (Date.now() > deadline) throw new Error(`round ${round.number} did not finish in time`);
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 1000));
  }
}

/** "loss 1.234 · kl 0.012" — the metrics worth printing for a stage. */
export function brief(stage: string, v: Record<string, number>): string {
  const keys: Record<string, string[]> = {
    PRETRAIN: ['loss', 'eval_loss'],
    SFT: ['loss', 'eval_loss'],
    RM: ['loss', 'accuracy', 'eval_accuracy'],
    PPO: ['score', 'kl', 'entropy', 'clipfrac', 'value_loss'],
    DPO: ['loss', 'rewards/accuracies', 'rewards/margins', 'eval_rewards/accuracies'],
    EVALUATE: ['rm_accuracy'],
  };
  return (keys[stage] ?? Object.keys(v).slice(0, 4))
    .filter((k) => typeof v[k] === 'number')
    .map((k) => `${k} ${v[k].toFixed(4)}`)
    .join(' · ');
}
