// One reconciliation pass over rounds, standalone training jobs and export jobs (see
// reconcile-rounds.ts and reconcile-exports.ts). Every worker runs it on start and then every
// HONE_RECONCILE_EVERY_MS (45 s); rows untouched for less than HONE_RECONCILE_GRACE_MS (60 s)
// are left alone, since a web request or a worker may still be between writing them and
// queueing their jobs.
import { env } from '../../env';
import { reconcileExports } from './reconcile-exports';
import { reconcileRounds, type ReconcileAction } from './reconcile-rounds';

export type { ReconcileAction } from './reconcile-rounds';

export async function reconcile(opts: { graceMs?: number } = {}): Promise<ReconcileAction[]> {
  const graceMs = opts.graceMs ?? env().HONE_RECONCILE_GRACE_MS;
  return [...(await reconcileRounds(graceMs)), ...(await reconcileExports(graceMs))];
}
