// Issue #16 §7: a nano round on a project whose prompts are longer than nano's context (64
// tokens) runs end to end and reports the skipped items, instead of failing at SFT with "SFT
// item 0 (id …) has no assistant token within 64 tokens". Before launch, the pre-flight check
// counts and links those items; settings beyond the context and plans past the skip limit are
// refused with the field named in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { prisma } from '../../lib/db';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { preflightRound } from '../../lib/data/rounds/preflight';
import { getRound } from '../../lib/data/rounds/get-round';
import { closeQueues } from '../../lib/queue/connection';
import { closeFlowProducer } from '../../lib/queue/flows';
import { closeInferEvents } from '../../lib/queue/infer';
import { TINY, roundState, seededProject, startWorker, stopWorker, waitFor } from './loop-helpers';

let worker: ChildProcess | undefined;
let projectId: string;
let longDemos = 0;
let demos = 0;
let tiedId = '';

// 72 ordinary characters: with <|endoftext|><|user|> … <|end|><|assistant|> no answer token fits in 64.
const LONG = (i: number) => `Could you explain, in a few plain sentences, why the sky looks blue? (#${i})`;

beforeAll(async () => {
  const seeded = await seededProject('Round skips', { prompts: 16 });
  projectId = seeded.project.id;
  // Lengthen the prompts of a few demonstrations, staying under the default limit of 20% skipped.
  const rows = await prisma.demonstration.findMany({ where: { projectId }, select: { promptId: true }, orderBy: { createdAt: 'asc' } });
  // SFT items are demonstrations and submitted dialogues; only demonstrations carry the prompt's text.
  demos = rows.length + (await prisma.conversation.count({ where: { projectId, submitted: true } }));
  const perPrompt = new Map<string, number>();
  for (const r of rows) perPrompt.set(r.promptId, (perPrompt.get(r.promptId) ?? 0) + 1);
  let i = 0;
  for (const [promptId, n] of perPrompt) {
    if ((longDemos + n) / demos > 0.15) continue;
    await prisma.prompt.update({ where: { id: promptId }, data: { text: LONG(i++) } });
    longDemos += n;
    if (longDemos / demos >= 0.1) break;
  }
  // One ranking ties every completion: it gives the reward model no pair.
  const j = await prisma.judgement.findFirstOrThrow({ where: { projectId }, select: { id: true, tiers: true }, orderBy: { createdAt: 'asc' } });
  await prisma.judgement.update({ where: { id: j.id }, data: { tiers: [(j.tiers as number[][]).flat()] } });
  tiedId = j.id;
  worker = startWorker('skips');
}, 180_000);

afterAll(async () => {
  await stopWorker(worker);
  await closeFlowProducer();
  await closeInferEvents();
  await closeQueues();
});

describe('a nano round on prompts longer than its context', () => {
  it('pre-flight counts the SFT items that cannot fit, with links to them', async () => {
    expect(longDemos).toBeGreaterThan(0);
    const p = await preflightRound({ projectId, start: 'new', preset: 'nano', settings: TINY });
    expect(p.model.context).toBe(64);
    expect(p.ok).toBe(true);
    const sft = p.stages.find((s) => s.stage === 'sft')!;
    expect(sft.skipped).toBe(longDemos);
    expect(sft.reasons).toEqual([expect.objectContaining({ reason: 'too-long', count: longDemos, text: "prompt longer than the model's context (64 tokens), so no answer token fits" })]);
    expect(sft.reasons[0].items[0].href).toMatch(new RegExp(`^/data/${projectId}/items/demonstration/\\w+$`));
    expect(sft.problem).toBeNull();
    // The all-tied ranking: skipped by the reward model, linked to its judgement.
    const rm = p.stages.find((s) => s.stage === 'rm')!;
    expect(rm.reasons).toEqual([{ reason: 'no-pair', count: 1, text: 'ranking gives no preference pair (every completion tied)', items: [{ itemType: 'judgement', itemId: tiedId, href: `/data/${projectId}/items/judgement/${tiedId}` }] }]);
    // PPO keeps the end of the long prompts: shortened, not skipped.
    const ppo = p.stages.find((s) => s.stage === 'ppo')!;
    expect(ppo.skipped).toBe(0);
    expect(ppo.shortened.count).toBeGreaterThan(0);
  });

  it('refuses settings beyond the context and a plan past the skip limit, naming the field in words', async () => {
    await expect(launchRound({ projectId, start: 'new', preset: 'nano', settings: { ...TINY, sft: { ...TINY.sft, maxLength: 256 } } }, null)).rejects.toMatchObject({
      message: "SFT maximum length (256) is longer than the model's context of 64 tokens: use 64 or less, or leave it empty for the whole context.",
      details: [{ path: 'settings.sft.maxLength', message: expect.stringMatching(/^SFT maximum length \(256\)/) }],
    });
    await expect(launchRound({ projectId, start: 'new', preset: 'nano', settings: { ...TINY, sft: { ...TINY.sft, maxSkipFraction: 0 } } }, null)).rejects.toMatchObject({
      message: expect.stringMatching(/^Pre-flight check failed\. SFT \(demonstrations and dialogues\): \d+ of \d+ SFT items .* cannot be used, more than the limit of 0%/),
      details: [expect.objectContaining({ path: 'settings.sft.maxSkipFraction' })],
    });
    expect(await prisma.trainingRound.count({ where: { projectId } })).toBe(0);
  });

  it('runs end to end, skipping and counting those items instead of failing', async () => {
    const r = await launchRound({ projectId, start: 'new', preset: 'nano', settings: TINY }, null);
    const done = await waitFor('the round to finish', () => roundState(r.id), (s) => s.status !== 'QUEUED' && s.status !== 'RUNNING', 170_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');

    const view = await getRound(r.id);
    const sft = view.jobs.find((j) => j.stage === 'SFT')!;
    expect(sft.dataReport).toMatchObject({ stage: 'sft', total: demos, skipped: longDemos, used: demos - longDemos, reasons: [{ reason: 'too-long', count: longDemos }] });
    expect(sft.logs.map((l) => l.message)).toContain(
      `Skipped ${longDemos} of ${demos} SFT items: ${longDemos} prompt longer than the model's context (64 tokens), so no answer token fits.`,
    );
    expect(view.jobs.find((j) => j.stage === 'RM')!.dataReport).toMatchObject({ skipped: 1, reasons: [{ reason: 'no-pair', count: 1 }] });
    const ppo = view.jobs.find((j) => j.stage === 'PPO')!;
    expect(ppo.dataReport?.shortened).toBeGreaterThan(0);
  }, 200_000);
});
