// Token-by-token generation for one conversation with the KV cache, reporting the text so far
// (the infer queue turns it into job progress, which the OpenAI endpoint streams as chunks).
import * as tf from '@tensorflow/tfjs-core';
import type { GPT } from '../../lib/ml/model/gpt';
import { pickToken, createRng } from '../../lib/ml/sample';
import { encodeChat, type ChatMessage, type Tokenizer } from '../../lib/ml/tokenizer';
import { keepPromptEnd, promptBudget } from '../../lib/ml/prompt-budget';
import { replyText } from '../../lib/ml/reply-text';
import { yieldLoop } from '../../lib/ml/yield-loop';
import { settledText } from '../../lib/shared/stop-sequences';

export async function streamReply(
  model: GPT,
  tok: Tokenizer,
  messages: ChatMessage[],
  opts: { maxTokens: number; temperature: number; topP: number; seed?: number; stop?: readonly string[] },
  onText?: (text: string) => Promise<void> | void,
): Promise<{ text: string; tokens: number; finished: boolean; promptTokens: number }> {
  const { promptTokens, newTokens: budget } = promptBudget(model.config.nPositions, opts.maxTokens, { for: 'serving' });
  const prompt = keepPromptEnd(encodeChat(tok, messages, { addGenerationPrompt: true }).ids, promptTokens);
  const V = model.config.vocabSize;
  const stop = new Set([tok.special.endOfTurn, tok.special.eos]);
  const rng = createRng(opts.seed ?? (Math.random() * 2 ** 31) >>> 0);
  const pick = { temperature: opts.temperature, topK: 0, topP: opts.topP };
  const out: number[] = [];
  const stops = opts.stop ?? [];
  let finished = false;
  let stoppedText: string | null = null;
  const cache = model.createCache(1);
  try {
    const L = prompt.length;
    let last = tf.tidy(() => tf.reshape(tf.slice(model.forwardCached(tf.tensor2d([prompt], [1, L], 'int32'), cache), [0, L - 1, 0], [1, 1, V]), [V]));
    let sent = '';
    for (let i = 0; i < budget; i++) {
      const logits = (await last.data()) as Float32Array; // one read per token (GPUs: the only way)
      last.dispose();
      const { token } = pickToken(logits, pick, rng);
      if (stop.has(token)) {
        finished = true;
        break;
      }
      out.push(token);
      if (stops.length) {
        // A stop sequence ends the reply before it (OpenAI's `stop`); the text shown so far never
        // includes the start of one.
        const settled = settledText(replyText(tok, out), stops);
        if (settled.stopped) {
          finished = true;
          stoppedText = settled.text;
          break;
        }
      }
      if (onText && (out.length % 4 === 0)) {
        const text = settledText(replyText(tok, out), stops).text;
        if (text !== sent) {
          sent = text;
          await onText(text);
        }
      }
      if (i % 8 === 7) await yieldLoop();
      if (i === budget - 1) break;
      last = tf.tidy(() => tf.reshape(model.forwardCached(tf.tensor2d([[token]], [1, 1], 'int32'), cache), [V]));
    }
  } finally {
    cache.dispose();
  }
  const text = stoppedText ?? replyText(tok, out);
  if (onText) await onText(text);
  return { text, tokens: out.length, finished, promptTokens: prompt.length };
}
