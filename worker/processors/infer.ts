// The `infer` queue: one reply from a policy (the named checkpoint, else the project's active
// one) for dialogue suggestions and the OpenAI-compatible endpoint. The text so far is reported
// as job progress ({ text }) every few tokens, so callers can stream it; the return value is
// the InferResult. A GPU failure is named (lib/ml/gpu-errors.ts) and a lost device recovered
// in this process before the job fails (failAttempt), so the next request runs again.
import { initBackend } from '../../lib/ml/backend';
import { env } from '../../lib/env';
import { InferPayload, InferResult, QUEUES } from '../../lib/queue/names';
import { policy, resolvePolicyId, clearPolicies } from '../stages/policy-cache';
import { streamReply } from '../stages/stream';
import { isGpuError, toGpuError } from '../../lib/ml/gpu-errors';
import { failAttempt } from './outage-retry';
import { gpuHandling } from './gpu-recovery';
import type { Processor } from './types';

export const processor: Processor = {
  queue: QUEUES.infer,
  concurrency: 1,
  lockDuration: 60_000,
  async init(ctx) {
    const info = await initBackend({ backend: env().HONE_TF_BACKEND });
    ctx.setBackend?.(info.name);
  },
  async process(job, ctx) {
    const p = InferPayload.parse(job.data);
    const gpu = gpuHandling(ctx);
    try {
      const id = await resolvePolicyId(p);
      const { model, tokenizer } = await policy(id);
      const r = await streamReply(
        model,
        tokenizer,
        p.messages,
        { maxTokens: p.maxTokens, temperature: p.temperature, topP: p.topP, seed: p.seed, stop: p.stop },
        (text) => job.updateProgress({ text }).catch(() => {}),
      );
      return InferResult.parse({ text: r.text, checkpointId: id, tokens: r.tokens, promptTokens: r.promptTokens, finishReason: r.finished ? 'stop' : 'length' });
    } catch (e) {
      // Only GPU failures go through failAttempt (one attempt, no row: the caller reads the
      // message); the rest fail as they always did.
      const err = toGpuError(e);
      if (!isGpuError(err) && !gpu.backendChanged()) throw e;
      throw await failAttempt(job, err, ctx.log, async () => {}, gpu);
    }
  },
  async close() {
    clearPolicies();
  },
};
