// Checks the per-completion Likert ratings of a ranking against its set: indices in range and,
// when the project rates every completion (likertMode PER_COMPLETION), one for each completion.
// Returns the ratings to store (null when none were given).
import type { LikertMode } from '../../shared/collection';
import { AppError } from '../errors';

export function checkLikertPerCompletion(ratings: Record<string, number> | undefined, k: number, mode: LikertMode): Record<string, number> | null {
  const given = ratings ?? {};
  for (const idx of Object.keys(given)) {
    if (Number(idx) >= k) throw new AppError('INVALID_INPUT', `Likert ratings name completion ${idx}, but this set has completions 0–${k - 1}.`, { field: 'likertPerCompletion' });
  }
  if (mode === 'PER_COMPLETION') {
    const missing = Array.from({ length: k }, (_, i) => i).filter((i) => given[String(i)] === undefined);
    if (missing.length) {
      throw new AppError('INVALID_INPUT', `Rate every completion from 1 to 7 before submitting: ${missing.length === 1 ? `completion ${missing[0]} has` : `completions ${missing.join(', ')} have`} no rating yet.`, { field: 'likertPerCompletion', missing });
    }
  }
  return Object.keys(given).length ? Object.fromEntries(Object.entries(given).sort(([a], [b]) => Number(a) - Number(b))) : null;
}
