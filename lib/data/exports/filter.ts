// The selection filter shared by snapshots, streaming exports and export jobs. Impossible
// values (a date range that ends before it starts, an agreement outside [−1, 1], an unknown
// split) are rejected here with a message that names the field.
import { z } from 'zod';
import { AppError } from '../errors';
import { quote } from '../../shared/text-safety';

const isoDate = z
  .string()
  .trim()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date such as 2026-01-31 or 2026-01-31T12:00:00Z');

const agreement = z.coerce
  .number({ error: 'must be a number' })
  .min(-1, 'must be between -1 and 1 (Kendall τ-b)')
  .max(1, 'must be between -1 and 1 (Kendall τ-b)');

export const SPLITS = ['TRAIN', 'VAL', 'TEST'] as const;

export const ExportFilter = z
  .object({
    projectId: z.string().trim().min(1, 'is required').optional(),
    snapshotId: z.string().trim().min(1).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    roundId: z.string().trim().min(1).optional(),
    split: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .pipe(z.enum(SPLITS, { error: 'must be one of train, val, test' }))
      .optional(),
    labelerIds: z.array(z.string().trim().min(1)).min(1).optional(),
    /** Only labelers whose mean τ-b with the leave-one-out consensus is at least this. */
    minAgreement: agreement.optional(),
    /** Only labelers whose mean τ-b with admin-marked gold orders is at least this. */
    minGoldAgreement: agreement.optional(),
    /** SFT examples of dialogues: the stored main branch (default) or every branch. */
    branches: z.enum(['main', 'all'], { error: 'must be main (the branch the labeler submitted) or all (every branch)' }).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (!f.projectId && !f.snapshotId) ctx.addIssue({ code: 'custom', path: ['projectId'], message: 'is required (or give a snapshotId)' });
    if (f.from && f.to && Date.parse(f.from) > Date.parse(f.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `ends (${quote(f.to)}) before the range starts (${quote(f.from)})` });
    }
    if (f.snapshotId && Object.keys(f).some((k) => k !== 'snapshotId' && k !== 'projectId' && k !== 'branches')) {
      ctx.addIssue({ code: 'custom', path: ['snapshotId'], message: 'a snapshot is already a frozen selection; give either snapshotId or filters, not both' });
    }
  });
export type ExportFilter = z.infer<typeof ExportFilter>;

const FILTER_KEYS = new Set(['projectId', 'snapshotId', 'from', 'to', 'roundId', 'split', 'labelerIds', 'labeler', 'minAgreement', 'minGoldAgreement', 'branches']);

/**
 * Reads a filter from query parameters: `labeler` may repeat and `labelerIds` may be
 * comma-separated. Keys in `ignore` (gzip, format) are the caller's; any other unknown key is
 * an error, so a typo never silently widens an export.
 */
export function filterFromSearchParams(sp: URLSearchParams, ignore: string[] = []): ExportFilter {
  const raw: Record<string, unknown> = {};
  const labelers: string[] = [];
  for (const [k, v] of sp) {
    if (ignore.includes(k)) continue;
    if (!FILTER_KEYS.has(k)) throw new AppError('INVALID_INPUT', `Unknown parameter "${quote(k)}". Filters: ${[...FILTER_KEYS].join(', ')}.`);
    if (k === 'labeler' || k === 'labelerIds') labelers.push(...v.split(',').map((s) => s.trim()).filter(Boolean));
    else if (v !== '') raw[k] = v;
  }
  if (labelers.length) raw.labelerIds = labelers;
  return ExportFilter.parse(raw);
}

/** The filter as stored in manifests and snapshots: only the keys that were set, sorted. */
export function normalizeFilter(f: ExportFilter): ExportFilter {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(f).sort()) {
    const v = (f as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out[k] = k === 'labelerIds' ? [...new Set(v as string[])].sort() : v;
  }
  return out as ExportFilter;
}
