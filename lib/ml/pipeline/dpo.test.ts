import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { GPT } from '../model/gpt';
import type { GPTConfig } from '../model/config';
import { createTokenizer } from '../tokenizer';
import { readCheckpointMeta } from '../checkpoint';
import type { RankingExample } from '../data/schemas';
import { DpoConfigSchema } from '../../shared/stage-config';
import { saveLanguageModel } from './save-models';
import { encodePreferences } from '../train/dpo';
import { refCacheFile, refCacheKey, weightsDigest } from './ref-logps-cache';
import { dpoPipeline } from './dpo';

const CONFIG: GPTConfig = { vocabSize: 264, nPositions: 32, nEmbd: 16, nLayer: 1, nHead: 2, layerNormEpsilon: 1e-5, tokenizer: 'byte' };
const tok = createTokenizer('byte');
const RANKINGS: RankingExample[] = [
  { id: 'a', context: [{ role: 'user', content: 'hi' }], completions: ['yes', 'no', 'maybe'], tiers: [[0], [2], [1]] },
  { id: 'b', context: [{ role: 'user', content: 'ok?' }], completions: ['fine', 'bad'], tiers: [[0], [1]] },
];
const config = (steps: number, extra: Record<string, unknown> = {}) => DpoConfigSchema.parse({ steps, batchSize: 2, microBatchSize: 2, checkpointEvery: 1, evalFraction: 0, ...extra });
const lineage = { preset: 'test', parent: 'sft-id', datasetHash: 'h' };

let root: string;
let sftDir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(tmpdir(), 'hone-dpo-pipeline-'));
  sftDir = path.join(root, 'sft');
  const sft = new GPT(CONFIG, { seed: 1 });
  await saveLanguageModel(sftDir, sft, tok, { stage: 'sft', step: 0 });
  sft.dispose();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

type Run = { starts: { resumeStep: number | null; refCached: boolean }[]; steps: Record<string, number>[]; saved: number[] };

function run(opts: { steps: number; cache?: string; resumeFrom?: string; resumeDir?: string; rankings?: RankingExample[]; out?: string; stopAfter?: number }) {
  const seen: Run = { starts: [], steps: [], saved: [] };
  const resumeDir = opts.resumeDir ?? path.join(root, 'resume');
  const promise = dpoPipeline({
    sftDir,
    resumeFrom: opts.resumeFrom,
    rankings: opts.rankings ?? RANKINGS,
    config: config(opts.steps),
    lineage,
    refCacheDir: opts.cache,
    outputDir: opts.out,
    hooks: {
      saveResume: async (step, write) => (seen.saved.push(step), write(resumeDir)),
      onStep: (m) => void seen.steps.push(m.metrics),
      shouldStop: () => opts.stopAfter !== undefined && seen.steps.length >= opts.stopAfter,
    },
    onStart: (s) => void seen.starts.push(s),
  });
  return { promise, seen };
}

describe('dpoPipeline', () => {
  it('writes policy resume points with the optimizer state, resumes from them, and writes the finished policy', async () => {
    const resumeDir = path.join(root, 'resume-1');
    const first = run({ steps: 1, resumeDir });
    expect((await first.promise).stopped).toBe(false);
    expect(first.seen.starts).toEqual([{ resumeStep: null, refCached: false }]);
    expect(first.seen.steps[0].loss).toBeCloseTo(Math.LN2, 5); // the policy starts as the reference
    const meta = await readCheckpointMeta(resumeDir);
    expect(meta.architecture).toBe('lm');
    expect(meta.hone).toMatchObject({ stage: 'policy', step: 1, parent: 'sft-id', datasetHash: 'h' });
    expect(await readdir(resumeDir)).toContain('optimizer.safetensors');

    const out = path.join(root, 'out-1');
    const second = run({ steps: 3, resumeFrom: resumeDir, resumeDir, out });
    const res = await second.promise;
    expect(res.steps).toBe(3);
    expect(second.seen.starts).toEqual([{ resumeStep: 1, refCached: false }]); // no cache folder: the SFT model was loaded again
    expect(second.seen.saved).toEqual([2, 3]);
    expect(second.seen.steps[0].loss).toBeLessThan(Math.LN2); // step 2 continues from the trained policy
    const done = await readCheckpointMeta(out);
    expect(done.hone).toMatchObject({ stage: 'policy', step: 3, metrics: { train_loss: res.result.trainLoss, rankings: 2 } });
  });

  it('caches the reference log-probs: a second run reads them and runs no reference pass; other data misses; a corrupt file is rewritten', async () => {
    const cache = path.join(root, 'cache');
    const a = run({ steps: 1, cache });
    await a.promise;
    expect(a.seen.starts[0].refCached).toBe(false);
    const files = await readdir(cache);
    expect(files).toHaveLength(1);
    const file = path.join(cache, files[0]);
    const key = refCacheKey(await weightsDigest(sftDir), 32, encodePreferences(tok, RANKINGS, 32));
    expect(file).toBe(refCacheFile(cache, key));

    // Shift every cached value by 1: a run that used the cache (and no forward) starts with
    // rewards/chosen = β·(π − (π_ref + 1)) = −β, where a fresh reference pass would give 0.
    const body = JSON.parse(await readFile(file, 'utf8')) as { logps: number[][] };
    await writeFile(file, JSON.stringify({ ...body, logps: body.logps.map((r) => r.map((v) => v + 1)) }));
    const b = run({ steps: 1, cache });
    await b.promise;
    expect(b.seen.starts[0]).toEqual({ resumeStep: null, refCached: true });
    expect(b.seen.steps[0]['rewards/chosen']).toBeCloseTo(-0.1, 4);
    expect(b.seen.steps[0]['rewards/rejected']).toBeCloseTo(-0.1, 4);

    const c = run({ steps: 1, cache, rankings: [RANKINGS[0], { ...RANKINGS[1], completions: ['fine', 'worse'] }] });
    await c.promise;
    expect(c.seen.starts[0].refCached).toBe(false);
    expect(await readdir(cache)).toHaveLength(2);

    await writeFile(file, '{"format":"hone-ref-logps","version":1,"key":"');
    const d = run({ steps: 1, cache });
    await d.promise;
    expect(d.seen.starts[0].refCached).toBe(false);
    expect(d.seen.steps[0]['rewards/chosen']).toBeCloseTo(0, 5);
    const e = run({ steps: 1, cache });
    await e.promise;
    expect(e.seen.starts[0].refCached).toBe(true);
  });

  it('on a resume the cache spares loading the reference; a stop writes a final resume point and no output', async () => {
    const cache = path.join(root, 'cache-resume');
    const resumeDir = path.join(root, 'resume-2');
    const out = path.join(root, 'out-2');
    const first = run({ steps: 5, cache, resumeDir, out, stopAfter: 2 });
    const r = await first.promise;
    expect(r).toMatchObject({ stopped: true, steps: 2 });
    expect(first.seen.saved).toEqual([1, 2, 2]);
    await expect(readdir(out)).rejects.toThrow();
    const second = run({ steps: 3, cache, resumeFrom: resumeDir, resumeDir });
    await second.promise;
    expect(second.seen.starts).toEqual([{ resumeStep: 2, refCached: true }]);
  });

  it('a stop during the reference pass takes no step and writes no resume point, no cache and no output', async () => {
    const cache = path.join(root, 'cache-stopped');
    const out = path.join(root, 'out-stopped');
    const stopped = run({ steps: 3, cache, out, stopAfter: 0 });
    const r = await stopped.promise;
    expect(stopped.seen).toEqual({ starts: [], steps: [], saved: [] });
    expect(r).toMatchObject({ stopped: true, steps: 0 });
    await expect(readdir(cache)).rejects.toThrow();
    await expect(readdir(out)).rejects.toThrow();
  });
});
