// Submits a dialogue: the labeler's whole message tree (every branch, suggestions and edits) is
// the submission; it must hold at least one user turn and one assistant turn written or
// accepted by the labeler. The conversation is marked submitted with the guideline version and
// its main branch (leafMessageId: the line training and SFT exports follow). Once stored, its
// model-written turns go to the sample queue for in-context comparisons (request-context-sampling).
import { prisma } from '../../db';
import { AppError } from '../errors';
import { DialogueSubmission } from '../../shared/schemas';
import { readHold } from '../tasks/gate';
import { NOW } from '../tasks/sql';
import { afterLostRace, priorOutcome, timeOnTask, type SubmitResult } from './outcome';
import { requestContextSampling } from '../sampling/request-context-sampling';

export async function submitDialogue(taskId: string, userId: string, input: DialogueSubmission, idempotencyKey?: string): Promise<SubmitResult> {
  const body = DialogueSubmission.parse(input);
  const key = idempotencyKey ?? body.idempotencyKey;
  const hold = await readHold(taskId, userId);
  if (hold.kind !== 'DIALOGUE') throw new AppError('INVALID_INPUT', `Task ${taskId} is a ${hold.kind.toLowerCase()} task, not a dialogue.`);
  const draft = { kind: 'DIALOGUE', leafMessageId: body.leafMessageId ?? null };
  const prior = await priorOutcome(hold, key, draft);
  if (prior) return prior;

  const convo = await prisma.conversation.findUnique({
    where: { assignmentId: hold.assignmentId },
    select: { id: true, projectId: true, messages: { where: { isSuggestion: false }, select: { id: true, role: true } } },
  });
  if (!convo) throw new AppError('INVALID_INPUT', 'This dialogue has no messages yet: write at least one assistant turn before submitting.');
  if (!convo.messages.some((m) => m.role === 'ASSISTANT')) throw new AppError('INVALID_INPUT', 'The dialogue has no assistant turn yet: write (or accept) at least one before submitting.');
  if (body.leafMessageId && !convo.messages.some((m) => m.id === body.leafMessageId)) {
    throw new AppError('INVALID_INPUT', `Message ${body.leafMessageId} is not part of this dialogue.`, { field: 'leafMessageId' });
  }

  const done = await prisma.$transaction(async (tx) => {
    const n = await tx.$executeRaw`
      UPDATE "Assignment" SET status = 'SUBMITTED', "submittedAt" = ${NOW}, "submissionKey" = ${key ?? null}, "updatedAt" = ${NOW}
      WHERE id = ${hold.assignmentId} AND status = 'ACTIVE' AND "expiresAt" > ${NOW}`;
    if (n === 0) return false;
    await tx.conversation.update({ where: { id: convo.id }, data: { submitted: true, leafMessageId: body.leafMessageId ?? null, timeMs: timeOnTask(hold, body.timeMs), guidelineVersion: hold.guidelineVersion } });
    await tx.$executeRaw`
      UPDATE "Task" SET "doneCount" = "doneCount" + 1, "activeCount" = GREATEST("activeCount" - 1, 0),
             status = CASE WHEN "doneCount" + 1 >= wanted THEN 'DONE'::"TaskStatus" ELSE status END, "updatedAt" = ${NOW}
      WHERE id = ${taskId}`;
    return true;
  });
  if (!done) return afterLostRace(hold, key, draft, () => readHold(taskId, userId));
  // The submit stands whatever happens here: a dialogue not queued now waits (contextSampledAt
  // stays null) and the admin project page counts it, with the reason.
  await requestContextSampling(convo.projectId, [convo.id]).catch(() => undefined);
  return { taskId, assignmentId: hold.assignmentId, kind: 'DIALOGUE', submissionId: convo.id, duplicate: false };
}
