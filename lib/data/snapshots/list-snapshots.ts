// Use case: the snapshots of a project (newest first), as DTOs. Every researcher sees them all:
// see the access rule in get-snapshot.ts.
import { prisma } from '../../db';
import type { SnapshotManifest } from './create-snapshot';

export type SnapshotDto = { id: string; kind: string; projectId: string | null; rowCount: number; sha256: string; createdAt: string; manifest: SnapshotManifest };

export async function listSnapshots(projectId: string, limit = 50): Promise<SnapshotDto[]> {
  const rows = await prisma.datasetSnapshot.findMany({
    where: { projectId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: { id: true, kind: true, projectId: true, rowCount: true, sha256: true, createdAt: true, manifest: true },
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), manifest: r.manifest as unknown as SnapshotManifest }));
}
