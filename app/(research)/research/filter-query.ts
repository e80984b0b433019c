// The export filter form's state as query parameters (the same ones GET /api/exports/:format reads).
export type FilterState = {
  from: string;
  to: string;
  roundId: string;
  split: string;
  labelerIds: string[];
  minAgreement: string;
  minGoldAgreement: string;
  minGoldAccuracy: string;
};

export const EMPTY_FILTER: FilterState = { from: '', to: '', roundId: '', split: '', labelerIds: [], minAgreement: '', minGoldAgreement: '', minGoldAccuracy: '' };

export function filterParams(projectId: string, f: FilterState, snapshotId?: string): URLSearchParams {
  const sp = new URLSearchParams();
  if (snapshotId) {
    sp.set('snapshotId', snapshotId);
    return sp;
  }
  sp.set('projectId', projectId);
  for (const k of ['from', 'to', 'roundId', 'split', 'minAgreement', 'minGoldAgreement', 'minGoldAccuracy'] as const) if (f[k].trim()) sp.set(k, f[k].trim());
  for (const l of f.labelerIds) sp.append('labeler', l);
  return sp;
}

/** The same filter as a JSON object, for POST bodies (snapshots, export jobs). */
export function filterObject(projectId: string, f: FilterState, snapshotId?: string): Record<string, unknown> {
  if (snapshotId) return { snapshotId };
  const o: Record<string, unknown> = { projectId };
  for (const k of ['from', 'to', 'roundId', 'split'] as const) if (f[k].trim()) o[k] = f[k].trim();
  for (const k of ['minAgreement', 'minGoldAgreement', 'minGoldAccuracy'] as const) if (f[k].trim()) o[k] = Number(f[k]);
  if (f.labelerIds.length) o.labelerIds = f.labelerIds;
  return o;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** The error body of a failed request ({message, details}), for useFieldErrors. */
export async function readError(res: Response): Promise<{ message: string; details?: unknown }> {
  try {
    const body = (await res.json()) as { error?: { message?: string; details?: unknown } };
    return { message: body.error?.message ?? `The server answered ${res.status}.`, details: body.error?.details };
  } catch {
    return { message: `The server answered ${res.status}.` };
  }
}

/** A failed request as a thrown error that keeps its body for the form. */
export class RequestError extends Error {
  constructor(readonly body: { message: string; details?: unknown }) {
    super(body.message);
  }
}
