// How a model's context is shared between the prompt and the reply, for every place that
// samples: PPO rollouts, batched generation (sampling queue, evaluation) and streamed replies.
// The prompt keeps its end (the generation prompt sits there) and loses its beginning.
//
//   training  the reply length is a setting of the run: a reply that cannot fit is a
//             configuration error (thrown), and maxPromptTokens may shorten the prompt further.
//   serving   the reply length is a request's: it is capped so that at least 8 prompt tokens
//             always fit (never refused), and every reply gets at least one token.

/** Prompt tokens kept when serving, at the least (the chat template's generation prompt). */
export const SERVING_PROMPT_RESERVE = 8;

export type TokenBudget = {
  /** The most prompt tokens kept (the last ones). */
  promptTokens: number;
  /** The most reply tokens sampled. */
  newTokens: number;
};

export function promptBudget(
  context: number,
  maxNewTokens: number,
  opts: { for: 'training'; maxPromptTokens?: number | null } | { for: 'serving' },
): TokenBudget {
  if (opts.for === 'training') {
    if (maxNewTokens >= context) throw new Error(`maxNewTokens (${maxNewTokens}) must be below the context (${context})`);
    const room = context - maxNewTokens;
    return { promptTokens: Math.min(opts.maxPromptTokens ?? room, room), newTokens: maxNewTokens };
  }
  const newTokens = Math.max(1, Math.min(maxNewTokens, context - SERVING_PROMPT_RESERVE));
  return { promptTokens: Math.max(1, context - newTokens), newTokens };
}

/** The last `promptTokens` ids of a prompt (all of them when it fits). */
export function keepPromptEnd(ids: number[], promptTokens: number): number[] {
  return ids.length > promptTokens ? ids.slice(ids.length - promptTokens) : ids;
}
