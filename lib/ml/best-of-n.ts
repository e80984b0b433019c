// Best-of-n sampling (rejection sampling against the reward model, as in WebGPT and Llama 2's
// RS baseline): the policy writes n replies per context, the reward model scores each, the
// highest score is kept. No training: its cost is n× the sampling plus the scoring, and its
// KL from the policy is at most log n − (n−1)/n (Stiennon et al. 2020, appendix).
import type { GPT } from './model/gpt';
import type { RewardModel } from './heads';
import type { ChatMessage, Tokenizer } from './tokenizer';
import { generate } from './generate';
import { rmScores } from './score';

export type BestOfNOptions = {
  policy: GPT;
  rm: RewardModel;
  /** Shared by the policy and the RM (a round's RM starts from its SFT, so they agree). */
  tokenizer: Tokenizer;
  contexts: ChatMessage[][];
  /** Candidates per context, ≥ 1 (1 = plain sampling, still scored). */
  n: number;
  generate: { maxNewTokens: number; temperature: number; topP?: number; seed: number; batchSize?: number };
};

export type BestOfNPick = {
  text: string;
  ids: number[];
  /** The RM's score of the kept reply. */
  score: number;
  /** log π(reply) at the sampling temperature, as generate() reports it. */
  logprob: number;
  ended: boolean;
  /** Every candidate of this context in sampling order; the kept one is among them. */
  candidates: { text: string; score: number }[];
};

/** The RM's best of n sampled replies per context; equal scores keep the earliest candidate. */
export async function bestOfN(o: BestOfNOptions): Promise<BestOfNPick[]> {
  if (!Number.isInteger(o.n) || o.n < 1) throw new Error(`bestOfN: n must be a whole number ≥ 1, got ${o.n}`);
  if (!o.contexts.length) return [];
  // Rows are context-major: context b's candidates are rows b·n … b·n + n − 1.   [B·n]
  const rows = o.contexts.flatMap((c) => Array.from({ length: o.n }, () => c));
  const gens = await generate(o.policy, o.tokenizer, rows, { ...o.generate, batchSize: o.generate.batchSize ?? 16 });
  const scores = await rmScores(o.rm, o.tokenizer, rows, gens.map((g) => g.text)); // [B·n]
  return o.contexts.map((_, b) => {
    let best = b * o.n;
    for (let j = b * o.n + 1; j < (b + 1) * o.n; j++) if (scores[j] > scores[best]) best = j; // strict: ties keep the first
    const g = gens[best];
    return {
      text: g.text,
      ids: g.ids,
      score: scores[best],
      logprob: g.logprob,
      ended: g.ended,
      candidates: gens.slice(b * o.n, (b + 1) * o.n).map((c, j) => ({ text: c.text, score: scores[b * o.n + j] })),
    };
  });
}

/** The analytic KL(best-of-n ‖ policy) bound, log n − (n−1)/n nats (exact for distinct samples). */
export function bestOfNKl(n: number): number {
  return Math.log(n) - (n - 1) / n;
}
