// Request bodies of the research API (parsed by the routes with lib/http's readJson).
import { z } from 'zod';
import { AppError } from '../errors';
import { quote } from '../../shared/text-safety';

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

const GZIP_VALUES = ['1', 'true', '0', 'false'];

/** `gzip=1|true` (or `0|false`, the default) on streaming GETs; any other value is a 400. */
export function gzipParam(sp: URLSearchParams): boolean {
  const v = sp.get('gzip');
  if (v === null || v === '') return false;
  if (!GZIP_VALUES.includes(v)) throw new AppError('INVALID_INPUT', `gzip: "${quote(v)}" is not allowed; use one of ${GZIP_VALUES.join(', ')}.`, { field: 'gzip', allowed: GZIP_VALUES });
  return v === '1' || v === 'true';
}
