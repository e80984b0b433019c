// Loaded policies for the sample and infer queues, by checkpoint id (a small LRU: the active
// policy stays warm; a promotion loads the new one on first use).
import type { GPT } from '../../lib/ml/model/gpt';
import type { Tokenizer } from '../../lib/ml/tokenizer';
import { checkpointLocation } from '../../lib/data/checkpoints/list-checkpoints';
import { activePolicy, NO_POLICY_REASON } from '../../lib/data/checkpoints/active-policy';
import { loadLanguageModel } from '../../lib/ml/pipeline/load-models';
import { resolveUri } from '../../lib/data/training/paths';

type Entry = { id: string; model: GPT; tokenizer: Tokenizer; used: number };
const MAX = 2;
const cache = new Map<string, Promise<Entry>>();

export async function policy(checkpointId: string): Promise<Entry> {
  let p = cache.get(checkpointId);
  if (!p) {
    p = (async () => {
      const loc = await checkpointLocation(checkpointId);
      if (!loc) throw new Error(`No checkpoint ${checkpointId}.`);
      const c = await loadLanguageModel(resolveUri(loc.uri));
      return { id: checkpointId, model: c.model, tokenizer: c.tokenizer, used: Date.now() };
    })();
    cache.set(checkpointId, p);
    p.catch(() => cache.delete(checkpointId));
    if (cache.size > MAX) {
      const entries = await Promise.all([...cache.entries()].filter(([id]) => id !== checkpointId).map(async ([id, e]) => [id, await e.catch(() => null)] as const));
      const oldest = entries.filter(([, e]) => e).sort((a, b) => a[1]!.used - b[1]!.used)[0];
      if (oldest) {
        cache.delete(oldest[0]);
        oldest[1]!.model.dispose();
      }
    }
  }
  const e = await p;
  e.used = Date.now();
  return e;
}

/** The checkpoint to answer with: the one named, else the project's active policy. */
export async function resolvePolicyId(opts: { checkpointId?: string; projectId?: string }): Promise<string> {
  if (opts.checkpointId) return opts.checkpointId;
  if (!opts.projectId) throw new Error('Name a project or a checkpoint to answer with.');
  const a = await activePolicy(opts.projectId);
  if (!a) throw new Error(NO_POLICY_REASON);
  return a.id;
}

export function clearPolicies(): void {
  for (const p of cache.values()) void p.then((e) => e.model.dispose()).catch(() => {});
  cache.clear();
}
