// The sample worker's database side: which prompts to sample, and storing each sampled set of
// K completions with its RANKING task (wanted = the project's overlap) in one transaction.
import { randomInt } from 'node:crypto';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { newId } from '../../shared/ids';
import { samplingParams, type SamplingParams } from './params';

export type SampleTarget = {
  projectId: string;
  k: number;
  params: SamplingParams;
  checkpoint: { id: string; uri: string; name: string; roundId: string | null };
  prompts: { id: string; text: string }[];
};

/** Prompts of the project that this checkpoint has not sampled yet (never-sampled first). */
export async function sampleTarget(projectId: string, checkpointId: string, promptIds?: string[]): Promise<SampleTarget> {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true, k: true, samplingParams: true } });
  if (!project) throw new AppError('NOT_FOUND', `No project with id ${projectId}.`);
  const ck = await prisma.checkpoint.findUnique({ where: { id: checkpointId }, select: { id: true, uri: true, name: true, roundId: true, projectId: true, kind: true } });
  if (!ck || ck.projectId !== projectId) throw new AppError('NOT_FOUND', `No checkpoint ${checkpointId} in this project.`);
  const params = samplingParams(project.samplingParams);
  const prompts = await prisma.prompt.findMany({
    where: { projectId, ...(promptIds?.length ? { id: { in: promptIds } } : {}), completionSets: { none: { checkpointId } } },
    orderBy: [{ sampledAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
    take: params.maxPrompts,
    select: { id: true, text: true },
  });
  return { projectId, k: project.k, params, checkpoint: { id: ck.id, uri: ck.uri, name: ck.name, roundId: ck.roundId }, prompts };
}

export type SampledSet = { promptId: string; completions: { text: string; tokens: number; logprob: number | null }[] };

/** How a batch was sampled beyond the project's settings, recorded in each set's samplingParams. */
export type SampledWith = { bestOf: number; rewardModel: { id: string; name: string }; seed: number };

/** Stores sets + completions + RANKING tasks atomically; returns how many sets were written. */
export async function saveSampledSets(t: SampleTarget, sets: SampledSet[], sampledWith?: SampledWith): Promise<{ sets: number; tasks: number }> {
  if (!sets.length) return { sets: 0, tasks: 0 };
  const project = await prisma.project.findUnique({ where: { id: t.projectId }, select: { overlap: true } });
  const overlap = project?.overlap ?? 1;
  const rows = sets.map((s) => ({ ...s, setId: newId() }));
  await prisma.$transaction(async (tx) => {
    await tx.completionSet.createMany({
      data: rows.map((s) => ({
        id: s.setId,
        projectId: t.projectId,
        promptId: s.promptId,
        checkpointId: t.checkpoint.id,
        roundId: t.checkpoint.roundId,
        sourceModel: t.checkpoint.name,
        samplingParams: { temperature: t.params.temperature, topP: t.params.topP, maxTokens: t.params.maxTokens, ...sampledWith },
        displaySeed: randomInt(0, 2 ** 31 - 1),
      })),
    });
    await tx.completion.createMany({
      data: rows.flatMap((s) => s.completions.map((c, index) => ({ id: newId(), setId: s.setId, index, text: c.text, tokens: c.tokens, logprob: c.logprob }))),
    });
    await tx.task.createMany({ data: rows.map((s) => ({ id: newId(), projectId: t.projectId, kind: 'RANKING' as const, completionSetId: s.setId, promptId: s.promptId, wanted: overlap })) });
    await tx.prompt.updateMany({ where: { id: { in: rows.map((s) => s.promptId) } }, data: { sampledAt: new Date() } });
  });
  return { sets: rows.length, tasks: rows.length };
}
