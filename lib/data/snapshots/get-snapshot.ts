// Use case: one snapshot with its manifest.
// Access rule (the same for list-snapshots.ts): a snapshot is project data, a frozen, hashed view
// of rows every researcher can already stream live from /api/exports, so every RESEARCHER (and
// ADMIN) may read and export any snapshot, as the research page lists them. What is personal is
// an export *job* and its file (lib/data/exports/list-export-jobs.ts): the requester's own.
import { prisma } from '../../db';
import { AppError } from '../errors';
import type { SnapshotDto } from './list-snapshots';
import type { SnapshotManifest } from './create-snapshot';

export async function getSnapshot(id: string): Promise<SnapshotDto> {
  const r = await prisma.datasetSnapshot.findUnique({
    where: { id },
    select: { id: true, kind: true, projectId: true, rowCount: true, sha256: true, createdAt: true, manifest: true },
  });
  if (!r) throw new AppError('NOT_FOUND', `Snapshot "${id}" does not exist.`);
  return { ...r, createdAt: r.createdAt.toISOString(), manifest: r.manifest as unknown as SnapshotManifest };
}
