// The worker side of registering a base: where its folder goes, and its row once the folder is
// complete. The row is written last, so a registration that fails leaves no row; the caller
// removes the folder when this throws.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { prisma } from '../../db';
import type { ModelShape } from '../../shared/model-shape';
import { recordAudit } from '../audit/record-audit';

/** `<project>/bases/<slug>-<random>`, relative to the checkpoint root. */
export function baseUri(projectId: string, name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'base';
  return path.posix.join(projectId, 'bases', `${slug}-${randomBytes(4).toString('hex')}`);
}

export type RegisteredBase = {
  projectId: string;
  name: string;
  uri: string;
  shapeKey: string;
  shape: ModelShape;
  source: string;
  sha256: string;
  sizeBytes: number;
  metrics: Record<string, unknown>;
  actorId: string | null;
};

export async function recordRegisteredBase(b: RegisteredBase): Promise<string> {
  return prisma.$transaction(async (tx) => {
    const row = await tx.checkpoint.create({
      data: {
        projectId: b.projectId,
        kind: 'BASE',
        name: b.name,
        preset: b.shapeKey,
        uri: b.uri,
        modelConfig: b.shape,
        source: b.source,
        weightsSha256: b.sha256,
        sizeBytes: BigInt(b.sizeBytes),
        metrics: b.metrics as object,
      },
      select: { id: true },
    });
    await recordAudit(tx, { actorId: b.actorId, action: 'checkpoint.register', projectId: b.projectId, targetType: 'Checkpoint', targetId: row.id, data: { name: b.name, shape: b.shapeKey, source: b.source, sha256: b.sha256 } });
    return row.id;
  });
}
