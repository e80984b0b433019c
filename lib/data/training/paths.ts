// Where checkpoints live. Every Checkpoint.uri and TrainingJob.resumeUri is a path relative to
// the checkpoint root (HONE_CHECKPOINT_ROOT), so several workers on several machines can share
// one root (a network mount) and the root can move without rewriting rows.
import fs from 'node:fs/promises';
import path from 'node:path';
import { env } from '../../env';
import { AppError } from '../errors';

export function checkpointRoot(): string {
  return path.resolve(env().HONE_CHECKPOINT_ROOT);
}

/** Absolute folder of a stored uri (relative to the root; absolute uris are kept as they are). */
export function resolveUri(uri: string): string {
  return path.isAbsolute(uri) ? uri : path.join(checkpointRoot(), uri);
}

/** The final folder of one stage of a round: a function of the round, so later stages find it. */
export function stageUri(projectId: string, roundId: string, stage: string): string {
  return path.posix.join(projectId, `round-${roundId}`, stage.toLowerCase());
}

/**
 * Where DPO keeps the reference model's log-probs of one snapshot's rankings: per project and
 * snapshot, outside any round, so a later round on the same snapshot (another method, a resume,
 * a retry) reads them instead of running the reference again. The cache's own key (reference
 * weights, data, length) decides whether a file in it still applies.
 */
export function refLogpsUri(projectId: string, snapshotId: string): string {
  return path.posix.join(projectId, 'ref-logps', `snapshot-${snapshotId}`);
}

/** The rolling mid-stage checkpoint of a job (weights + optimizer state), for resume. */
export function resumeUriFor(projectId: string, roundId: string | null, jobId: string): string {
  return path.posix.join(projectId, roundId ? `round-${roundId}` : 'jobs', `resume-${jobId}`);
}

/**
 * Throws a clear UNAVAILABLE error when this process cannot create, write and read back a file
 * under the checkpoint root (missing mount, wrong owner, read-only disk).
 */
export async function assertCheckpointRootUsable(): Promise<void> {
  const root = checkpointRoot();
  const probe = path.join(root, `.probe-${process.pid}-${Date.now()}`);
  let timer: NodeJS.Timeout | undefined;
  try {
    const check = async () => {
      await fs.mkdir(root, { recursive: true });
      await fs.writeFile(probe, 'ok');
      const back = await fs.readFile(probe, 'utf8');
      if (back !== 'ok') throw new Error('read back different bytes');
    };
    // A hung network mount must not hang the stage.
    const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer from the file system within 15 s')), 15_000)));
    await Promise.race([check(), limit]);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new AppError(
      'UNAVAILABLE',
      `This worker cannot use the checkpoint root ${root} (${err.code ?? err.message}). ` +
        `Check that HONE_CHECKPOINT_ROOT points at a folder this worker's user can read and write (the same folder, or network mount, on every worker).`,
    );
  } finally {
    clearTimeout(timer);
    await fs.rm(probe, { force: true }).catch(() => {});
  }
}
