// Launches a training round: resolves the plan (plan.ts: the start checkpoint, which decides the
// model's shape, and the settings with that model's sized defaults), refuses settings beyond the
// model's context and a plan no live train worker has the memory for, freezes and hashes the
// dataset snapshot (or reuses the earlier round snapshot the request names), refuses it when a stage could not use enough of its items (preflight.ts), writes the round and one TrainingJob row per stage, then enqueues the stages as one
// BullMQ flow whose job ids are the row ids.
import { prisma } from '../../db';
import { AppError } from '../errors';
import { enqueueRoundFlow } from '../../queue/flows';
import type { LaunchRoundInput as LaunchInput } from './settings';
import { freezeRoundSnapshot } from './freeze-snapshot';
import { reuseRoundSnapshot } from './reuse-snapshot';
import { trainCapacities } from '../workers/train-capacity';
import { SIZED_STAGES, explainNoFit, formatBytes, planOnWorkers, type SizedStage } from '../../shared/model-sizing';
import { assertWithinModel, resolvePlan } from './plan';
import { assertDataTrains } from './preflight';
import { recordAudit } from '../audit/record-audit';

export type LaunchedRound = { id: string; number: number; stages: string[]; snapshotSha: string; startCheckpointId: string | null };

export async function launchRound(raw: LaunchInput, actorId: string | null): Promise<LaunchedRound> {
  const plan = await resolvePlan(raw);
  const { project, start, preset, shape, settings, order } = plan;
  const stages = new Set(plan.input.stages);

  const busy = await prisma.trainingRound.findFirst({ where: { projectId: project.id, status: { in: ['QUEUED', 'RUNNING'] } }, select: { number: true } });
  if (busy) throw new AppError('CONFLICT', `Round ${busy.number} of this project is still queued or running; wait for it or cancel it first.`);
  assertWithinModel(plan);

  // Refuse a plan no live train worker can hold; with no capacity reported, launch (and say so in the form).
  const workers = await trainCapacities();
  if (workers.length) {
    const sized = order.map((o) => o.key).filter((k): k is SizedStage => (SIZED_STAGES as readonly string[]).includes(k ?? ''));
    const fit = planOnWorkers(shape, settings, sized, workers, { rankingK: project.k });
    if (fit.blocked.length) {
      throw new AppError('INVALID_INPUT', `This plan does not fit the memory of any live train worker. ${fit.blocked.map((e) => explainNoFit(e, fit.worker)).join(' ')}`, {
        stages: fit.blocked.map((e) => ({ stage: e.stage, peakBytes: Math.round(e.memory.total), peak: formatBytes(e.memory.total), limitBytes: e.limitBytes, lower: e.lower })),
      });
    }
  }

  const round = await prisma.$transaction(
    async (tx) => {
      // Two launches at once: the project row's lock makes the second wait, then see the first's round and be refused (not a 500 on the round number).
      await tx.$queryRaw`SELECT 1 FROM "Project" WHERE id = ${project.id} FOR UPDATE`;
      const busyNow = await tx.trainingRound.findFirst({ where: { projectId: project.id, status: { in: ['QUEUED', 'RUNNING'] } }, select: { number: true } });
      if (busyNow) throw new AppError('CONFLICT', `Round ${busyNow.number} of this project is still queued or running; wait for it or cancel it first.`);
      const snap = plan.snapshot ? await reuseRoundSnapshot(tx, plan.snapshot) : await freezeRoundSnapshot(tx, project.id, actorId);
      const c = snap.counts;
      if (stages.has('sft') && c.demonstrations + c.conversations === 0) {
        throw new AppError('INVALID_INPUT', 'This project has no demonstrations or dialogues yet, so there is nothing to fine-tune on: have labelers write some, or launch without the sft stage.');
      }
      if (stages.has('rm') && c.rankable === 0) {
        throw new AppError('INVALID_INPUT', 'This project has no rankings with a preference yet (at least two tiers), so the reward model has nothing to learn from: have labelers rank completion sets, or launch without the rm and ppo stages.');
      }
      if (stages.has('ppo') && c.prompts === 0) throw new AppError('INVALID_INPUT', 'This project has no prompts for PPO to practise on: import prompts first.');
      // Pre-flight on exactly the frozen items: a stage that would skip more than its limit is refused now, not hours later.
      await assertDataTrains(plan, snap.items);
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
      await recordAudit(tx, { actorId, action: 'round.launch', projectId: project.id, targetType: 'TrainingRound', targetId: r.id, data: { number: r.number, preset, stages: order.map((o) => o.stage), snapshotSha: snap.sha256, ...(plan.snapshot ? { reusedSnapshotId: plan.snapshot.id } : {}) } });
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
