// A worker that cannot use the checkpoint root fails the stage with a message naming the folder.
import { expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

it('names the checkpoint root a worker cannot write', async () => {
  // A regular file where the root's parent folder should be: like a mount that is missing.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hone-root-'));
  await fs.writeFile(path.join(dir, 'not-a-folder'), '');
  const root = path.join(dir, 'not-a-folder', 'checkpoints');
  process.env.HONE_CHECKPOINT_ROOT = root;
  const { assertCheckpointRootUsable, refLogpsUri, resolveUri, stageUri } = await import('./paths');
  await expect(assertCheckpointRootUsable()).rejects.toThrow(`This worker cannot use the checkpoint root ${root} (ENOTDIR)`);
  expect(resolveUri(stageUri('p1', 'r1', 'SFT'))).toBe(`${root}/p1/round-r1/sft`);
  // DPO's reference log-probs live beside the rounds, per snapshot, so rounds on one snapshot share them.
  expect(resolveUri(refLogpsUri('p1', 's1'))).toBe(`${root}/p1/ref-logps/snapshot-s1`);
  await fs.rm(dir, { recursive: true, force: true });
});
