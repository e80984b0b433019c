// Request bodies of the research API (parsed by the routes with lib/http's readJson).
import { z } from 'zod';

export const ExportJobInput = z
  .object({
    format: z.string().trim().min(1, 'is required'),
    filter: z.record(z.string(), z.unknown()),
    gzip: z.boolean().default(false),
  })
  .strict();

export const SnapshotInput = z
  .object({
    filter: z.record(z.string(), z.unknown()),
    kind: z.enum(['SFT', 'RM', 'PPO', 'EXPORT', 'ROUND']).default('EXPORT'),
  })
  .strict();

export const GoldInput = z
  .object({ tiers: z.array(z.array(z.number().int().min(0)).min(1)).min(1) })
  .strict();

/** `gzip=1|true` on streaming GETs. */
export function gzipParam(sp: URLSearchParams): boolean {
  const v = sp.get('gzip');
  return v === '1' || v === 'true';
}
