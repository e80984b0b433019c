// The guideline version a submission is stored with: the one the labeler had on screen (sent
// with the submit), or the latest when a client sends none. A version newer than the latest
// does not exist and is refused; an older one is accepted and marked outdated, so researchers
// can tell work done under superseded guidelines.
import { AppError } from '../errors';

export type GuidelineSeen = { version: number; outdated: boolean };

export function guidelineSeen(posted: number | undefined, latest: number): GuidelineSeen {
  if (posted === undefined) return { version: latest, outdated: false };
  if (posted > latest) {
    throw new AppError('INVALID_INPUT', `Guideline version ${posted} does not exist: this project's latest is version ${latest}. Reload the task to read them.`, { field: 'guidelineVersion' });
  }
  return { version: posted, outdated: posted < latest };
}
