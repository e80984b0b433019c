// One reconciliation pass over rounds, standalone training jobs and export jobs (see
// reconcile-rounds.ts and reconcile-exports.ts). Every worker runs it on start and then every
// RECONCILE_EVERY_MS; rows younger than the grace period are left alone, since a web request
// may still be between writing them and queueing their jobs.
import { reconcileExports } from './reconcile-exports';
import { reconcileRounds, type ReconcileAction } from './reconcile-rounds';

export type { ReconcileAction } from './reconcile-rounds';

export const RECONCILE_EVERY_MS = 45_000;
export const RECONCILE_GRACE_MS = 60_000;

export async function reconcile(opts: { graceMs?: number } = {}): Promise<ReconcileAction[]> {
  const graceMs = opts.graceMs ?? RECONCILE_GRACE_MS;
  return [...(await reconcileRounds(graceMs)), ...(await reconcileExports(graceMs))];
}
