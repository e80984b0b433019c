// Rounds through the HTTP API as an admin launches them, and their end read from Postgres. A round
// "ends" SUCCEEDED, or CANCELLED/FAILED with a reason; anything else after the bound is a wedge.
import { TINY } from '../integration/loop-helpers';
import type { Database, RoundRow } from './database';
import type { Api } from './http';
import { sleep } from './ports';
import type { Report } from './report';

/** Long enough an SFT that a fault lands in the middle of it, with checkpoints to resume from. */
export const FAULT_ROUND_SETTINGS = { ...TINY, sft: { ...TINY.sft, steps: 30, checkpointEvery: 3, evalEvery: 15 } };
export const ROUND_BOUND_MS = Number(process.env.FAULTS_ROUND_BOUND_S ?? 180) * 1000;

const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export async function launchRound(api: Api, token: string, projectId: string, settings: object = FAULT_ROUND_SETTINGS) {
  return api.post<{ round: { id: string } }>('/api/rounds', { projectId, start: 'new', preset: 'nano', settings }, token);
}

/** Polls until `until` holds for the round (or, unless `pastEnd`, it ended); returns the last state read. */
export async function watchRound(db: Database, roundId: string, until: (r: RoundRow) => boolean, timeoutMs: number, pastEnd = false): Promise<{ row: RoundRow; reached: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let row = await db.round(roundId);
  while (!until(row) && (pastEnd || !ENDED.has(row.status)) && Date.now() < deadline) {
    await sleep(300);
    row = await db.round(roundId);
  }
  return { row, reached: until(row) };
}

export const sftMidway = (r: RoundRow) => {
  const sft = r.jobs.find((j) => j.stage === 'SFT');
  return !!sft && sft.status === 'RUNNING' && !!sft.resumeUri && sft.step < FAULT_ROUND_SETTINGS.sft.steps - 6;
};

export const describeRound = (r: RoundRow) =>
  `round ${r.status}${r.error ? ` (${r.error.slice(0, 200)})` : ''}; stages ${r.jobs.map((j) => `${j.stage}=${j.status}@${j.step}×${j.attempts}${j.error ? ` "${j.error.slice(0, 120)}"` : ''}`).join(', ')}`;

/** The round ends within the bound: SUCCEEDED, or CANCELLED/FAILED with a reason. */
export async function expectRoundEnds(report: Report, scenario: string, db: Database, roundId: string): Promise<RoundRow> {
  const t = Date.now();
  const { row } = await watchRound(db, roundId, (r) => ENDED.has(r.status), ROUND_BOUND_MS);
  const clean = row.status === 'SUCCEEDED' || ((row.status === 'FAILED' || row.status === 'CANCELLED') && !!row.error);
  report.check(scenario, `the round ends SUCCEEDED, or CANCELLED/FAILED with a reason, within ${ROUND_BOUND_MS / 1000} s`, clean, `${describeRound(row)} after ${Math.round((Date.now() - t) / 1000)} s`);
  const stuck = row.jobs.filter((j) => j.status === 'RUNNING' || (ENDED.has(row.status) && j.status === 'QUEUED'));
  report.check(scenario, 'no stage is left RUNNING or QUEUED once the round ended', stuck.length === 0, stuck.map((j) => `${j.stage}=${j.status}`).join(', '));
  const anomalies = await db.metricAnomalies(roundId);
  report.check(scenario, 'every metric step stored once (1..n, no gap, no duplicate)', anomalies.length === 0, anomalies.join('; '));
  return row;
}

/**
 * No project blocked: a new launch is accepted (a 409 "still queued or running" is retried until
 * the bound, since the reconciler may first have to end a half-launched round); it is then
 * cancelled, and the cancel must end it.
 */
export async function expectProjectNotBlocked(report: Report, scenario: string, api: Api, db: Database, token: string, projectId: string): Promise<void> {
  const t = Date.now();
  let launched = await launchRound(api, token, projectId, TINY);
  while (launched.status === 409 && Date.now() - t < ROUND_BOUND_MS) {
    await sleep(3000);
    launched = await launchRound(api, token, projectId, TINY);
  }
  const waited = Math.round((Date.now() - t) / 1000);
  if (!report.check(scenario, `a new launch on the project is accepted afterwards (201 within ${ROUND_BOUND_MS / 1000} s)`, launched.status === 201, `${launched.status} after ${waited} s ${launched.status === 201 ? '' : launched.text.slice(0, 200)}`)) return;
  const id = launched.data.round.id;
  await cancelToTheEnd(report, scenario, api, db, token, id, 'that launch');
}

/** Cancels a round; the round and every stage must have ended within 90 s. */
export async function cancelToTheEnd(report: Report, scenario: string, api: Api, db: Database, token: string, roundId: string, what: string): Promise<void> {
  const cancel = await api.post(`/api/rounds/${roundId}/cancel`, {}, token);
  const { row, reached } = await watchRound(db, roundId, (r) => ENDED.has(r.status) && r.jobs.every((j) => j.status !== 'RUNNING' && j.status !== 'QUEUED'), 90_000, true);
  report.check(scenario, `cancelling ${what} ends it, every stage included, within 90 s`, (cancel.status === 200 || cancel.status === 409) && reached, `cancel ${cancel.status}; ${describeRound(row)}`);
}
