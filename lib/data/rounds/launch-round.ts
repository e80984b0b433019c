// Launches a training round: validates the start checkpoint, the preset and every stage's
// settings, freezes and hashes the dataset snapshot, writes the round and one TrainingJob row
// per stage, then enqueues the stages as one BullMQ flow whose job ids are the row ids.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { enqueueRoundFlow } from '../../queue/flows';
import { LaunchRoundInput, parseStageSettings, type LaunchRoundInput as LaunchInput, type StageKey } from './settings';
import { freezeRoundSnapshot } from './freeze-snapshot';
import type { RoundStage } from '../../shared/stages';

export type LaunchedRound = { id: string; number: number; stages: string[]; snapshotSha: string; startCheckpointId: string | null };

type Start = { kind: 'checkpoint'; id: string; preset: string } | { kind: 'new' };

async function resolveStart(projectId: string, start: string, preset: string): Promise<Start> {
  if (start === 'new') return { kind: 'new' };
  if (start === 'active' || start === 'auto') {
    const active = await prisma.checkpoint.findFirst({ where: { projectId, kind: 'POLICY', active: true, status: 'READY' }, select: { id: true, preset: true } });
    if (active && (start === 'active' || active.preset === preset)) return { kind: 'checkpoint', id: active.id, preset: active.preset };
    if (start === 'active') throw new AppError('INVALID_INPUT', 'This project has no active policy yet: start from a base checkpoint, or from a new base ("new").');
    const base = await prisma.checkpoint.findFirst({ where: { projectId, kind: 'BASE', status: 'READY', preset }, orderBy: { createdAt: 'desc' }, select: { id: true, preset: true } });
    return base ? { kind: 'checkpoint', id: base.id, preset: base.preset } : { kind: 'new' };
  }
  const ck = await prisma.checkpoint.findUnique({ where: { id: start }, select: { id: true, projectId: true, kind: true, status: true, preset: true } });
  if (!ck) throw new AppError('NOT_FOUND', `No checkpoint ${start}.`);
  if (ck.projectId && ck.projectId !== projectId) throw new AppError('FORBIDDEN', `Checkpoint ${start} belongs to another project.`);
  if (ck.kind === 'RM') throw new AppError('INVALID_INPUT', 'A reward model cannot start a round: pick a BASE, SFT or POLICY checkpoint.');
  if (ck.status === 'FAILED_EVAL') throw new AppError('INVALID_INPUT', `Checkpoint ${start} failed its evaluation; start from another one.`);
  return { kind: 'checkpoint', id: ck.id, preset: ck.preset };
}

export async function launchRound(raw: LaunchInput, actorId: string | null): Promise<LaunchedRound> {
  const input = LaunchRoundInput.parse(raw);
  const settings = parseStageSettings(input.settings);
  const project = await prisma.project.findUnique({ where: { id: input.projectId }, select: { id: true, archived: true } });
  if (!project) throw new AppError('NOT_FOUND', `No project with id ${input.projectId}.`);
  if (project.archived) throw new AppError('CONFLICT', 'This project is archived; unarchive it to train.');

  const busy = await prisma.trainingRound.findFirst({ where: { projectId: project.id, status: { in: ['QUEUED', 'RUNNING'] } }, select: { number: true } });
  if (busy) throw new AppError('CONFLICT', `Round ${busy.number} of this project is still queued or running; wait for it or cancel it first.`);

  const start = await resolveStart(project.id, input.start, input.preset);
  const preset = start.kind === 'checkpoint' ? start.preset : input.preset;
  if (start.kind === 'checkpoint' && start.preset !== input.preset && input.start !== 'auto') {
    throw new AppError('INVALID_INPUT', `The start checkpoint is a "${start.preset}" model; the preset must match (you chose "${input.preset}").`);
  }
  if (start.kind === 'new' && preset === 'gpt2') {
    throw new AppError('INVALID_INPUT', 'The gpt2 preset starts from GPT-2 weights, not from scratch: register a gpt2 BASE checkpoint and start from it, or pick the nano or small preset.');
  }

  const stages = new Set(input.stages);
  if (stages.has('ppo') && !stages.has('rm')) throw new AppError('INVALID_INPUT', 'PPO needs the reward model stage (rm) in the same round.');
  const order: { stage: RoundStage; key: StageKey | null }[] = [];
  if (start.kind === 'new') order.push({ stage: 'PRETRAIN', key: 'pretrain' });
  if (stages.has('sft')) order.push({ stage: 'SFT', key: 'sft' });
  if (stages.has('rm')) order.push({ stage: 'RM', key: 'rm' });
  if (stages.has('ppo')) order.push({ stage: 'PPO', key: 'ppo' });
  order.push({ stage: 'EVALUATE', key: 'evaluate' }, { stage: 'PUBLISH', key: null });
  if (!stages.has('sft') && !stages.has('rm') && !stages.has('ppo')) throw new AppError('INVALID_INPUT', 'Pick at least one of the sft, rm and ppo stages.');

  const round = await prisma.$transaction(
    async (tx) => {
      const snap = await freezeRoundSnapshot(tx, project.id, actorId);
      const c = snap.counts;
      if (stages.has('sft') && c.demonstrations + c.conversations === 0) {
        throw new AppError('INVALID_INPUT', 'This project has no demonstrations or dialogues yet, so there is nothing to fine-tune on: have labelers write some, or launch without the sft stage.');
      }
      if (stages.has('rm') && c.rankable === 0) {
        throw new AppError('INVALID_INPUT', 'This project has no rankings with a preference yet (at least two tiers), so the reward model has nothing to learn from: have labelers rank completion sets, or launch without the rm and ppo stages.');
      }
      if (stages.has('ppo') && c.prompts === 0) throw new AppError('INVALID_INPUT', 'This project has no prompts for PPO to practise on: import prompts first.');
      const last = await tx.trainingRound.findFirst({ where: { projectId: project.id }, orderBy: { number: 'desc' }, select: { number: true } });
      const config = Object.fromEntries(order.filter((o) => o.key).map((o) => [o.key!, settings[o.key!]]));
      const r = await tx.trainingRound.create({
        data: {
          projectId: project.id,
          number: (last?.number ?? 0) + 1,
          preset,
          config: config as object,
          stages: order.map((o) => o.stage.toLowerCase()),
          startCheckpointId: start.kind === 'checkpoint' ? start.id : null,
          snapshotId: snap.id,
          createdById: actorId,
        },
        select: { id: true, number: true },
      });
      const jobs = [];
      for (const o of order) {
        const job = await tx.trainingJob.create({ data: { roundId: r.id, stage: o.stage, config: (o.key ? settings[o.key] : {}) as object }, select: { id: true } });
        jobs.push({ id: job.id, stage: o.stage });
      }
      await tx.auditLog.create({ data: { actorId, action: 'round.launch', targetType: 'TrainingRound', targetId: r.id, data: { number: r.number, preset, stages: order.map((o) => o.stage), snapshotSha: snap.sha256 } } });
      return { ...r, jobs, sha256: snap.sha256 };
    },
    { timeout: 120_000 },
  );

  try {
    await enqueueRoundFlow(round.jobs.map((j) => ({ jobId: j.id, stage: j.stage })));
  } catch (e) {
    const why = `Could not queue the round: Redis did not accept it (${(e as Error).message}).`;
    await prisma.trainingRound.update({ where: { id: round.id }, data: { status: 'FAILED', error: why, finishedAt: new Date() } });
    await prisma.trainingJob.updateMany({ where: { roundId: round.id }, data: { status: 'CANCELLED' } });
    throw new AppError('UNAVAILABLE', why);
  }
  return { id: round.id, number: round.number, stages: round.jobs.map((j) => j.stage), snapshotSha: round.sha256, startCheckpointId: start.kind === 'checkpoint' ? start.id : null };
}
