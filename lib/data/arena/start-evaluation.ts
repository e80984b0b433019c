// Starts a blind human evaluation (arena) of two or more checkpoints of one project: checks the
// choice, picks up to N held-out prompts (VAL/TEST, shuffled by a recorded seed), writes the
// evaluation, its models (the checkpoints' names, for admins and exports only) and an ARENA
// TrainingJob in one transaction with its audit row, then queues the replies on the sample queue.
// With a round and no checkpoints: the round's policy (candidate) against the policy it started
// from, else the project's active policy, else the round's SFT (previous).
import { randomInt } from 'node:crypto';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record-audit';
import { enqueueArena } from '../../queue/flows';
import { samplingParams } from '../sampling/params';
import { mulberry32 } from '../../shared/labeling';
import { ARENA_LIMITS, StartArenaInput, type ArenaParams } from '../../shared/arena/start-input';

export const NO_HELD_OUT_PROMPTS = 'This project has no held-out prompts (split VAL or TEST): import some or move prompts to the validation split first';

type Pick = { checkpointId: string; role: 'candidate' | 'previous' | null };
type CheckpointRow = { id: string; name: string; kind: string; status: string; projectId: string | null };

export type StartedEvaluation = { id: string; name: string; status: 'GENERATING'; jobId: string; models: number; prompts: number };

const invalid = (message: string, field: string) => new AppError('INVALID_INPUT', message, { field });

/** The round's policy and the one it is judged against. */
async function roundPicks(projectId: string, roundId: string, explicit: string[] | undefined): Promise<{ picks: Pick[]; roundId: string }> {
  const round = await prisma.trainingRound.findUnique({
    where: { id: roundId },
    select: { id: true, number: true, projectId: true, startCheckpoint: { select: { id: true, kind: true } } },
  });
  if (!round || round.projectId !== projectId) throw invalid(`No round ${roundId} in this project.`, 'roundId');
  const outputs = await prisma.checkpoint.findMany({
    where: { roundId: round.id, kind: { in: ['POLICY', 'SFT'] }, status: { in: ['READY', 'FAILED_EVAL'] } },
    select: { id: true, kind: true },
    orderBy: { createdAt: 'desc' },
  });
  const candidate = outputs.find((c) => c.kind === 'POLICY')?.id ?? null;
  let previous: string | null = round.startCheckpoint?.kind === 'POLICY' ? round.startCheckpoint.id : null;
  if (!previous) {
    const active = await prisma.checkpoint.findFirst({ where: { projectId, kind: 'POLICY', active: true, id: { not: candidate ?? undefined } }, select: { id: true } });
    previous = active?.id ?? outputs.find((c) => c.kind === 'SFT')?.id ?? null;
  }
  if (explicit) {
    return { roundId: round.id, picks: explicit.map((id) => ({ checkpointId: id, role: id === candidate ? 'candidate' : id === previous ? 'previous' : null })) };
  }
  if (!candidate) throw invalid(`Round ${round.number} has no policy checkpoint yet: evaluate it once it has published one, or choose the checkpoints yourself.`, 'roundId');
  if (!previous || previous === candidate) throw invalid(`Round ${round.number} has no previous policy or SFT checkpoint to compare its policy with: choose the checkpoints yourself.`, 'roundId');
  return { roundId: round.id, picks: [{ checkpointId: candidate, role: 'candidate' }, { checkpointId: previous, role: 'previous' }] };
}

function checkModels(rows: CheckpointRow[], ids: string[], projectId: string): CheckpointRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const c = byId.get(id);
    if (!c) throw invalid(`No checkpoint with id ${id}.`, 'checkpointIds');
    if (c.projectId !== projectId) throw invalid(`Checkpoint "${c.name}" belongs to another project: an evaluation compares checkpoints of one project.`, 'checkpointIds');
    if (c.kind === 'RM') throw invalid(`Checkpoint "${c.name}" is a reward model, not a language model: it cannot write replies. Choose policy, SFT or base checkpoints.`, 'checkpointIds');
    if (c.status === 'ARCHIVED') throw invalid(`Checkpoint "${c.name}" is archived; its weights may be gone.`, 'checkpointIds');
    return c;
  });
}

/** Up to n held-out prompt ids, the same ones for the same seed and prompts. */
async function pickPrompts(projectId: string, n: number, seed: number): Promise<string[]> {
  const rows = await prisma.prompt.findMany({ where: { projectId, split: { in: ['VAL', 'TEST'] } }, select: { id: true }, orderBy: { id: 'asc' } });
  const ids = rows.map((r) => r.id);
  const rand = mulberry32(seed);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return ids.slice(0, n);
}

export async function startEvaluation(raw: StartArenaInput, actorId: string | null, ip?: string | null): Promise<StartedEvaluation> {
  const input = StartArenaInput.parse(raw);
  const project = await prisma.project.findUnique({ where: { id: input.projectId }, select: { id: true, name: true, archived: true, samplingParams: true } });
  if (!project) throw new AppError('NOT_FOUND', `No project with id ${input.projectId}.`);
  if (project.archived) throw invalid(`Project "${project.name}" is archived: its labelers get no tasks.`, 'projectId');

  let picks: Pick[];
  let roundId: string | null = null;
  if (input.roundId) ({ picks, roundId } = await roundPicks(project.id, input.roundId, input.checkpointIds));
  else if (input.checkpointIds) picks = input.checkpointIds.map((id) => ({ checkpointId: id, role: null }));
  else throw invalid('Choose at least two checkpoints to compare (or a round).', 'checkpointIds');

  const ids = picks.map((p) => p.checkpointId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw invalid(`Checkpoint ${twice} is listed twice: an evaluation compares distinct checkpoints.`, 'checkpointIds');
  if (ids.length < 2) throw invalid('Choose at least two distinct checkpoints: an evaluation compares their replies side by side.', 'checkpointIds');
  const rows = await prisma.checkpoint.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, kind: true, status: true, projectId: true } });
  const models = checkModels(rows, ids, project.id);

  const seed = randomInt(0, 2 ** 31 - 1);
  const promptIds = await pickPrompts(project.id, input.prompts, seed);
  if (!promptIds.length) throw invalid(`${NO_HELD_OUT_PROMPTS}.`, 'prompts');

  const sampling = samplingParams(project.samplingParams);
  const params: ArenaParams = {
    prompts: promptIds.length,
    promptIds,
    maxNewTokens: input.maxNewTokens ?? sampling.maxTokens,
    temperature: input.temperature ?? sampling.temperature,
    topP: sampling.topP,
    seed,
  };
  const name = (input.name || models.map((m) => m.name).join(' vs ')).slice(0, ARENA_LIMITS.nameChars);

  const created = await prisma.$transaction(async (tx) => {
    const ev = await tx.arenaEvaluation.create({
      data: { projectId: project.id, name, roundId, votesPerBattle: input.votesPerBattle, params, createdById: actorId },
      select: { id: true },
    });
    await tx.arenaModel.createMany({
      data: models.map((m, position) => ({ evaluationId: ev.id, checkpointId: m.id, name: m.name, position, role: picks[position].role })),
    });
    const job = await tx.trainingJob.create({
      data: { stage: 'ARENA', roundId: null, config: { projectId: project.id, arenaEvaluationId: ev.id }, totalSteps: models.length * promptIds.length },
      select: { id: true },
    });
    await tx.arenaEvaluation.update({ where: { id: ev.id }, data: { jobId: job.id } });
    await recordAudit(tx, {
      actorId,
      action: 'arena.start',
      projectId: project.id,
      targetType: 'ArenaEvaluation',
      targetId: ev.id,
      data: { name, models: models.map((m) => m.name), prompts: promptIds.length, votesPerBattle: input.votesPerBattle, roundId },
      ip: ip ?? null,
    });
    return { id: ev.id, jobId: job.id };
  });

  try {
    await enqueueArena({ arenaEvaluationId: created.id, trainingJobId: created.jobId });
  } catch (e) {
    const error = `Redis did not accept the job that writes the replies: ${(e as Error).message}`;
    await prisma.trainingJob.update({ where: { id: created.jobId }, data: { status: 'FAILED', error, finishedAt: new Date() } });
    await prisma.arenaEvaluation.update({ where: { id: created.id }, data: { status: 'FAILED', error } });
    throw new AppError('UNAVAILABLE', `${error}. The evaluation is marked failed; start it again once the queue is back.`);
  }
  return { id: created.id, name, status: 'GENERATING', jobId: created.jobId, models: models.length, prompts: promptIds.length };
}
