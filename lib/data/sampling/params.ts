// The sample queue's settings, stored per project in Project.samplingParams. The schema lives in
// lib/shared/sampling.ts so the admin form and the API validate with the same bounds.
import { SamplingParamsSchema, type SamplingParams } from '../../shared/sampling';

export { SamplingParamsSchema, type SamplingParams };

/** Stored params with defaults filled in; a missing, bad or unknown field falls back to its default. */
export function samplingParams(stored: unknown): SamplingParams {
  const obj = stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const shape = SamplingParamsSchema.shape;
  const defaults = SamplingParamsSchema.parse({});
  const out: SamplingParams = { ...defaults };
  for (const key of Object.keys(shape) as (keyof SamplingParams)[]) {
    const r = shape[key].safeParse(obj[key]);
    if (r.success) out[key] = r.data;
  }
  return out;
}
