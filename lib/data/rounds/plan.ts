// A launch request resolved into a plan: the project, the start checkpoint (whose model decides
// the shape and context), the stage settings with the model's sized defaults beneath the admin's,
// the stages in order, the earlier snapshot to reuse (if one was named), and the settings that
// model cannot honour. The launch and its pre-flight check both start here, so they judge the
// same plan.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { LaunchRoundInput, parseStageSettings, type LaunchRoundInput as LaunchInput, type StageKey } from './settings';
import { checkpointShape } from './checkpoint-shape';
import { findReusableSnapshot, type ReusedSnapshot } from './reuse-snapshot';
import type { RoundStage } from '../../shared/stages';
import { PRESET_SHAPES, SCRATCH_PRESETS, describeShape, shapeOfKey, type ModelShape } from '../../shared/model-shape';
import { withSizedDefaults } from '../../shared/model-sizing';
import { modelLimitProblems, type SettingProblem, type StageConfigs } from '../../shared/stage-config';

export type Start = { kind: 'checkpoint'; id: string; name: string; preset: string; shape: ModelShape } | { kind: 'new' };

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

export type RoundPlan = {
  input: ReturnType<typeof LaunchRoundInput.parse>;
  project: { id: string; k: number };
  start: Start;
  preset: string;
  shape: ModelShape;
  settings: StageConfigs;
  order: { stage: RoundStage; key: StageKey | null }[];
  /** The earlier round snapshot this round trains on; null = freeze the project's data at launch. */
  snapshot: ReusedSnapshot | null;
  /** Settings beyond the model's context (refused at launch). */
  limitProblems: SettingProblem[];
};

export async function resolvePlan(raw: LaunchInput): Promise<RoundPlan> {
  const input = LaunchRoundInput.parse(raw);
  const project = await prisma.project.findUnique({ where: { id: input.projectId }, select: { id: true, archived: true, k: true } });
  if (!project) throw new AppError('NOT_FOUND', `No project with id ${input.projectId}.`);
  if (project.archived) throw new AppError('CONFLICT', 'This project is archived; unarchive it to train.');

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
  if (stages.has('ppo') && stages.has('dpo')) {
    throw new AppError('INVALID_INPUT', 'Pick ppo or dpo, not both: each trains the round’s policy from the SFT model (DPO needs no reward model; an rm stage beside it only evaluates).', [
      { path: 'stages', message: 'Pick ppo or dpo, not both.' },
    ]);
  }
  if (stages.has('ppo') && !stages.has('rm')) throw new AppError('INVALID_INPUT', 'PPO needs the reward model stage (rm) in the same round.');
  if (!stages.has('sft') && !stages.has('rm') && !stages.has('ppo') && !stages.has('dpo')) throw new AppError('INVALID_INPUT', 'Pick at least one of the sft, rm, ppo and dpo stages.');
  // The order the stages run in: DPO's reference is the SFT model, and with an rm stage beside it the RM only evaluates.
  const order: RoundPlan['order'] = [];
  if (start.kind === 'new') order.push({ stage: 'PRETRAIN', key: 'pretrain' });
  if (stages.has('sft')) order.push({ stage: 'SFT', key: 'sft' });
  if (stages.has('rm')) order.push({ stage: 'RM', key: 'rm' });
  if (stages.has('ppo')) order.push({ stage: 'PPO', key: 'ppo' });
  if (stages.has('dpo')) order.push({ stage: 'DPO', key: 'dpo' });
  order.push({ stage: 'EVALUATE', key: 'evaluate' }, { stage: 'PUBLISH', key: null });
  const snapshot = input.snapshotId ? await findReusableSnapshot(project.id, input.snapshotId) : null;

  const keys = order.map((o) => o.key).filter((k): k is StageKey => k !== null);
  return { input, project: { id: project.id, k: project.k }, start, preset, shape, settings, order, snapshot, limitProblems: modelLimitProblems(shape.nPositions, settings, keys) };
}

/** Refuses settings beyond the model, naming each field in words (details keep the paths for programs and the form). */
export function assertWithinModel(plan: RoundPlan): void {
  const p = plan.limitProblems;
  if (p.length) throw new AppError('INVALID_INPUT', p.map((x) => x.message).join(' '), p.map((x) => ({ path: x.path, message: x.message })));
}
