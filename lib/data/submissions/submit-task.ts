// One entry point for POST /api/tasks/[id]/submit: reads the task's kind and hands the body to
// the use case for that kind (the body's own "kind", when given, must match).
import { AppError } from '../errors';
import { ArenaSubmission, DemonstrationSubmission, DialogueSubmission, RankingSubmission } from '../../shared/schemas';
import { readHold } from '../tasks/gate';
import type { SubmitResult } from './outcome';
import { submitDemonstration } from './submit-demonstration';
import { submitDialogue } from './submit-dialogue';
import { submitRanking } from './submit-ranking';
import { submitArena } from './submit-arena';

export async function submitTask(taskId: string, userId: string, body: unknown, idempotencyKey?: string): Promise<SubmitResult> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('INVALID_INPUT', 'The submission must be a JSON object.');
  const given = (body as { kind?: unknown }).kind;
  const kind = typeof given === 'string' ? given : (await readHold(taskId, userId)).kind;
  switch (kind) {
    case 'RANKING':
      return submitRanking(taskId, userId, RankingSubmission.parse(body), idempotencyKey);
    case 'DEMONSTRATION':
      return submitDemonstration(taskId, userId, DemonstrationSubmission.parse(body), idempotencyKey);
    case 'DIALOGUE':
      return submitDialogue(taskId, userId, DialogueSubmission.parse(body), idempotencyKey);
    case 'ARENA':
      return submitArena(taskId, userId, ArenaSubmission.parse(body), idempotencyKey);
    default:
      throw new AppError('INVALID_INPUT', `Unknown task kind "${String(kind)}"; use RANKING, DEMONSTRATION, DIALOGUE or ARENA.`, { field: 'kind' });
  }
}
