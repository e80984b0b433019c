// Batched replies with the KV-cached sampler, for the sampling queue and the evaluation: one
// reply per conversation, the prompt cut to the serving budget (lib/ml/prompt-budget.ts).
import type { GPT } from './model/gpt';
import { encodeChat, type ChatMessage, type Tokenizer } from './tokenizer';
import { sample } from './sample';
import { keepPromptEnd, promptBudget } from './prompt-budget';
import { replyText } from './reply-text';
import { yieldLoop } from './yield-loop';

export type Generation = { text: string; ids: number[]; logprob: number; ended: boolean };

/** One reply per context, `batchSize` at a time, yielding to the event loop between batches. */
export async function generate(
  model: GPT,
  tok: Tokenizer,
  contexts: ChatMessage[][],
  opts: { maxNewTokens: number; temperature: number; topP?: number; seed?: number; batchSize?: number },
): Promise<Generation[]> {
  const out: Generation[] = [];
  const bs = opts.batchSize ?? 8;
  const { promptTokens } = promptBudget(model.config.nPositions, opts.maxNewTokens, { for: 'serving' });
  for (let i = 0; i < contexts.length; i += bs) {
    const prompts = contexts.slice(i, i + bs).map((c) => keepPromptEnd(encodeChat(tok, c, { addGenerationPrompt: true }).ids, promptTokens));
    // sample() stops each row at the context's end as well, so a short prompt may use more of it.
    const r = await sample(model, prompts, {
      maxNewTokens: opts.maxNewTokens,
      temperature: opts.temperature,
      topP: opts.topP ?? 1,
      stopTokens: [tok.special.endOfTurn, tok.special.eos],
      seed: (opts.seed ?? 0) + i,
      padTokenId: tok.special.pad,
    });
    r.tokens.forEach((ids, b) => {
      out.push({ text: replyText(tok, ids), ids, logprob: r.logProbs[b].reduce((a, x) => a + x, 0), ended: r.finished[b] });
    });
    await yieldLoop();
  }
  return out;
}
