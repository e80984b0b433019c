// Launches a training round: resolves the start checkpoint (which decides the model's shape),
// lays the stage defaults sized for that model beneath the admin's settings and validates them,
// refuses a plan no live train worker has the memory for, freezes and hashes the dataset
// snapshot, writes the round and one TrainingJob row per stage, then enqueues the stages as one
// BullMQ flow whose job ids are the row ids.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { enqueueRoundFlow } from '../../queue/flows';
import { LaunchRoundInput, parseStageSettings, type LaunchRoundInput as LaunchInput, type StageKey } from './settings';
import { freezeRoundSnapshot } from './freeze-snapshot';
import { checkpointShape } from './checkpoint-shape';
import { trainCapacities } from '../workers/train-capacity';
import type { RoundStage } from '../../shared/stages';
import { PRESET_SHAPES, SCRATCH_PRESETS, describeShape, shapeOfKey, type ModelShape } from '../../shared/model-shape';
import { explainNoFit, formatBytes, planOnWorkers, withSizedDefaults, type SizedStage } from '../../shared/model-sizing';

export type LaunchedRound = { id: string; number: number; stages: string[]; snapshotSha: string; startCheckpointId: string | null };

type Start = { kind: 'checkpoint'; id: string; name: string; preset: string; shape: ModelShape } | { kind: 'new' };

const CK_SELECT = { id: true, name: true, projectId: true, kind: true, status: true, preset: true, modelConfig: true } as const;

function asStart(ck: { id: string; name: string; preset: string; modelConfig: unknown }): Start {
  const shape = checkpointShape(ck);
  if (!shape) throw new AppError('INVALID_INPUT', `Checkpoint ${ck.name} has no model shape Hone knows ("${ck.preset}"); start from another one.`);
  return { kind: 'checkpoint', id: ck.id, name: ck.name, preset: ck.preset, shape };
}

/**
 * 'new' pretrains a base; 'active' is the project's active policy; 'auto' is the active policy,
 * else the newest READY base (of the preset's shape when one was given), else a new base.
 */
async function resolveStart(projectId: string, start: string, preset: string | undefined): Promise<Start> {
  if (start === 'new') return { kind: 'new' };
  if (start === 'active' || start === 'auto') {
    const active = await prisma.checkpoint.findFirst({ where: { projectId, kind: 'POLICY', active: true, status: 'READY' }, select: CK_SELECT });
    if (active) return asStart(active);
    if (start === 'active') throw new AppError('INVALID_INPUT', 'This project has no active policy yet: start from a base checkpoint, or from a new base ("new").');
    const base = await prisma.checkpoint.findFirst({ where: { projectId, kind: 'BASE', status: 'READY', ...(preset ? { preset } : {}) }, orderBy: { createdAt: 'desc' }, select: CK_SELECT });
    return base ? asStart(base) : { kind: 'new' };
  }
  const ck = await prisma.checkpoint.findUnique({ where: { id: start }, select: CK_SELECT });
  if (!ck) throw new AppError('NOT_FOUND', `No checkpoint ${start}.`);
  if (ck.projectId && ck.projectId !== projectId) throw new AppError('FORBIDDEN', `Checkpoint ${start} belongs to another project.`);
  if (ck.kind === 'RM') throw new AppError('INVALID_INPUT', 'A reward model cannot start a round: pick a BASE, SFT or POLICY checkpoint.');
  if (ck.status === 'FAILED_EVAL') throw new AppError('INVALID_INPUT', `Checkpoint ${start} failed its evaluation; start from another one.`);
  return asStart(ck);
}

/** The shape a new base would have, or why the preset cannot be pretrained from scratch. */
function scratchShape(preset: string): ModelShape {
  if ((SCRATCH_PRESETS as readonly string[]).includes(preset)) return PRESET_SHAPES[preset as keyof typeof PRESET_SHAPES];
  const shape = shapeOfKey(preset);
  const what = preset === 'gpt2' ? 'GPT-2 (124M)' : `"${preset}"${shape ? ` (${describeShape(shape)})` : ''}`;
  throw new AppError(
    'INVALID_INPUT',
    `preset: ${what} is not pretrained from scratch here; only ${SCRATCH_PRESETS.join(' and ')} are. Register a base of that shape on /admin/checkpoints (a Hugging Face ${preset === 'gpt2' ? 'gpt2 ' : ''}folder) and start the round from it, or pick ${SCRATCH_PRESETS.join(' or ')} for a new base.`,
  );
}

export async function launchRound(raw: LaunchInput, actorId: string | null): Promise<LaunchedRound> {
  const input = LaunchRoundInput.parse(raw);
  const project = await prisma.project.findUnique({ where: { id: input.projectId }, select: { id: true, archived: true, k: true } });
  if (!project) throw new AppError('NOT_FOUND', `No project with id ${input.projectId}.`);
  if (project.archived) throw new AppError('CONFLICT', 'This project is archived; unarchive it to train.');

  const busy = await prisma.trainingRound.findFirst({ where: { projectId: project.id, status: { in: ['QUEUED', 'RUNNING'] } }, select: { number: true } });
  if (busy) throw new AppError('CONFLICT', `Round ${busy.number} of this project is still queued or running; wait for it or cancel it first.`);

  const start = await resolveStart(project.id, input.start, input.preset);
  if (start.kind === 'checkpoint' && input.preset !== undefined && input.preset !== start.preset) {
    throw new AppError(
      'INVALID_INPUT',
      `preset: the start checkpoint ${start.name} is a "${start.preset}" model (${describeShape(start.shape)}), not "${input.preset}". Leave the preset out to train the checkpoint's model, or start from a new base ("new") to pretrain a ${input.preset} one.`,
    );
  }
  const preset = start.kind === 'checkpoint' ? start.preset : (input.preset ?? 'nano');
  const shape = start.kind === 'checkpoint' ? start.shape : scratchShape(preset);
  // Sized defaults of this model beneath the admin's settings; explicit settings always win.
  const settings = parseStageSettings(withSizedDefaults(shape, input.settings));

  const stages = new Set(input.stages);
  if (stages.has('ppo') && !stages.has('rm')) throw new AppError('INVALID_INPUT', 'PPO needs the reward model stage (rm) in the same round.');
  const order: { stage: RoundStage; key: StageKey | null }[] = [];
  if (start.kind === 'new') order.push({ stage: 'PRETRAIN', key: 'pretrain' });
  if (stages.has('sft')) order.push({ stage: 'SFT', key: 'sft' });
  if (stages.has('rm')) order.push({ stage: 'RM', key: 'rm' });
  if (stages.has('ppo')) order.push({ stage: 'PPO', key: 'ppo' });
  order.push({ stage: 'EVALUATE', key: 'evaluate' }, { stage: 'PUBLISH', key: null });
  if (!stages.has('sft') && !stages.has('rm') && !stages.has('ppo')) throw new AppError('INVALID_INPUT', 'Pick at least one of the sft, rm and ppo stages.');

  // Refuse a plan no live train worker can hold; with no capacity reported, launch (and say so in the form).
  const workers = await trainCapacities();
  if (workers.length) {
    const sized = order.map((o) => o.key).filter((k): k is SizedStage => k === 'pretrain' || k === 'sft' || k === 'rm' || k === 'ppo');
    const plan = planOnWorkers(shape, settings, sized, workers, { rankingK: project.k });
    if (plan.blocked.length) {
      throw new AppError('INVALID_INPUT', `This plan does not fit the memory of any live train worker. ${plan.blocked.map((e) => explainNoFit(e, plan.worker)).join(' ')}`, {
        stages: plan.blocked.map((e) => ({ stage: e.stage, peakBytes: Math.round(e.memory.total), peak: formatBytes(e.memory.total), limitBytes: e.limitBytes, lower: e.lower })),
      });
    }
  }

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
    // Nothing half-done: the round is closed as FAILED with the reason, so it blocks no launch.
    // If the database is down too, it stays QUEUED and the reconciler queues it within minutes.
    const why = `Could not queue round ${round.number}: ${(e as Error).message}`;
    await prisma
      .$transaction([
        prisma.trainingRound.update({ where: { id: round.id }, data: { status: 'FAILED', error: why, finishedAt: new Date() } }),
        prisma.trainingJob.updateMany({ where: { roundId: round.id }, data: { status: 'CANCELLED', finishedAt: new Date() } }),
      ])
      .catch(() => {});
    if (e instanceof AppError) throw new AppError('UNAVAILABLE', why);
    throw e;
  }
  return { id: round.id, number: round.number, stages: round.jobs.map((j) => j.stage), snapshotSha: round.sha256, startCheckpointId: start.kind === 'checkpoint' ? start.id : null };
}
