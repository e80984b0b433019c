// What clients see of an ExportJob (bytes as a number; no file paths, no owner id). Who may see
// one at all is canSeeExportJob in list-export-jobs.ts.
export type ExportJobRow = {
  id: string;
  userId: string;
  snapshotId: string | null;
  format: string;
  gzip: boolean;
  filter: unknown;
  status: string;
  progress: number;
  rows: number;
  bytes: bigint;
  uri: string | null;
  sha256: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

export type ExportJobDto = {
  id: string;
  format: string;
  gzip: boolean;
  filter: unknown;
  snapshotId: string | null;
  status: string;
  progress: number;
  rows: number;
  bytes: number;
  sha256: string | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  fileUrl: string | null;
};

export function exportJobDto(r: ExportJobRow): ExportJobDto {
  return {
    id: r.id,
    format: r.format,
    gzip: r.gzip,
    filter: r.filter,
    snapshotId: r.snapshotId,
    status: r.status,
    progress: r.progress,
    rows: r.rows,
    bytes: Number(r.bytes),
    sha256: r.sha256,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    fileUrl: r.status === 'SUCCEEDED' && r.uri ? `/api/export-jobs/${r.id}/file` : null,
  };
}
