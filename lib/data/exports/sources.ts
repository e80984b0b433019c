// The rows every format is built from, read through a server-side cursor in batches:
// judgements (with prompt, dialogue context and completion texts), SFT examples
// (demonstrations and dialogue paths). Formats map these to their own fields.
import { cursorBatches, Params, type Sql } from './cursor';
import { conversationSource, demonstrationSource, judgementSource, type Selection } from './selection';

export type ChatMessage = { role: 'user' | 'assistant'; content: string };

export type JudgementRow = {
  id: string;
  set_id: string;
  user_id: string;
  created_at: Date;
  tiers: unknown;
  all_bad: boolean;
  flags: unknown;
  likert: number | null;
  comment: string | null;
  display_order: unknown;
  time_ms: number;
  guideline_version: number;
  round_id: string | null;
  checkpoint_id: string | null;
  source_model: string;
  gold_tiers: unknown;
  prompt_id: string;
  prompt: string;
  split: string;
  /** Completion texts by completion index. */
  completions: string[];
  /** Dialogue context (root → last message) when the set continues a dialogue. */
  context: ChatMessage[] | null;
};

/** Only what preference pairs need: the hot path of the big exports. */
export type PairSourceRow = Pick<JudgementRow, 'id' | 'tiers' | 'prompt' | 'completions' | 'context'>;

const CONTEXT = `CASE WHEN s."contextMessageId" IS NULL THEN NULL ELSE (
    WITH RECURSIVE chain AS (
      SELECT m.id, m."parentId", m.role, m.text, 0 AS depth FROM "Message" m WHERE m.id = s."contextMessageId"
      UNION ALL
      SELECT m.id, m."parentId", m.role, m.text, chain.depth + 1 FROM "Message" m JOIN chain ON m.id = chain."parentId"
    )
    SELECT json_agg(json_build_object('role', lower(chain.role::text), 'content', chain.text) ORDER BY chain.depth DESC) FROM chain
  ) END`;
const COMPLETIONS = `(SELECT COALESCE(json_agg(c.text ORDER BY c.index), '[]'::json) FROM "Completion" c WHERE c."setId" = s.id)`;

// Completions as JSON string literals escaped by Postgres (to_json), joined by U+0001, which
// JSON escaping never leaves raw: the hot TRL path splits them instead of parsing and
// re-escaping every text in this process. Postgres escapes exactly as JSON.stringify does.
const COMPLETIONS_JSON = `(SELECT string_agg(to_json(c.text)::text, E'\\x01' ORDER BY c.index) FROM "Completion" c WHERE c."setId" = s.id)`;

export function judgementSql(sel: Selection, opts: { order?: 'time' | 'set'; columns?: 'full' | 'pairs' | 'pairs-json' } = {}): Sql {
  const p = new Params();
  const src = judgementSource(sel, p, opts.order ?? 'time');
  const cols =
    opts.columns === 'pairs-json'
      ? `j.id, j.tiers, to_json(p.text)::text AS prompt_json, ${COMPLETIONS_JSON} AS completions_json, ${CONTEXT} AS context`
      : opts.columns === 'pairs'
      ? `j.id, j.tiers, p.text AS prompt, ${COMPLETIONS} AS completions, ${CONTEXT} AS context`
      : `j.id, j."setId" AS set_id, j."userId" AS user_id, j."createdAt" AS created_at, j.tiers, j."allBad" AS all_bad,
         j.flags, j.likert, j.comment, j."displayOrder" AS display_order, j."timeMs" AS time_ms,
         j."guidelineVersion" AS guideline_version, j."roundId" AS round_id, s."checkpointId" AS checkpoint_id,
         s."sourceModel" AS source_model, s."goldTiers" AS gold_tiers, s."promptId" AS prompt_id, p.text AS prompt,
         p.split::text AS split, ${COMPLETIONS} AS completions, ${CONTEXT} AS context`;
  return { text: `SELECT ${cols} ${src.from} ORDER BY ${src.order}`, values: p.values };
}

export function judgementBatches(sel: Selection, opts: { order?: 'time' | 'set' } = {}): AsyncGenerator<JudgementRow[]> {
  return cursorBatches<JudgementRow>(judgementSql(sel, { ...opts, columns: 'full' }));
}

/** Pre-escaped pair sources: prompt and completion texts as JSON string literals. */
export type JsonPairSourceRow = Pick<JudgementRow, 'id' | 'tiers' | 'context'> & { prompt_json: string; completions_json: string | null };

export function jsonPairSourceBatches(sel: Selection): AsyncGenerator<JsonPairSourceRow[]> {
  return cursorBatches<JsonPairSourceRow>(judgementSql(sel, { columns: 'pairs-json' }), { batch: 5000 });
}

export function pairSourceBatches(sel: Selection): AsyncGenerator<PairSourceRow[]> {
  return cursorBatches<PairSourceRow>(judgementSql(sel, { columns: 'pairs' }), { batch: 5000 });
}

/** The prompt as a chat: the dialogue context when there is one, else one user turn. */
export function promptMessages(r: Pick<JudgementRow, 'prompt' | 'context'>): ChatMessage[] {
  return r.context?.length ? r.context : [{ role: 'user', content: r.prompt }];
}

// ───────────── SFT examples: demonstrations, then each path of each submitted dialogue ─────────────

export type SftExample = { source: 'demonstration' | 'conversation'; id: string; promptId: string | null; messages: ChatMessage[] };

type DemoRow = { id: string; prompt_id: string; prompt: string; text: string };
type TreeMessage = { id: string; parent_id: string | null; role: 'USER' | 'ASSISTANT'; text: string; is_suggestion: boolean; created_at: string };
type ConvRow = { id: string; prompt_id: string | null; leaf_message_id: string | null; messages: TreeMessage[] | null };

export function demonstrationSql(sel: Selection): Sql {
  const p = new Params();
  const src = demonstrationSource(sel, p);
  return { text: `SELECT d.id, d."promptId" AS prompt_id, p.text AS prompt, d.text ${src.from} ORDER BY ${src.order}`, values: p.values };
}

export function conversationSql(sel: Selection): Sql {
  const p = new Params();
  const src = conversationSource(sel, p);
  return {
    text: `SELECT c.id, c."promptId" AS prompt_id, c."leafMessageId" AS leaf_message_id,
        (SELECT json_agg(json_build_object('id', m.id, 'parent_id', m."parentId", 'role', m.role, 'text', m.text,
           'is_suggestion', m."isSuggestion", 'edited_from_id', m."editedFromId", 'author_user_id', m."authorUserId",
           'author_checkpoint_id', m."authorCheckpointId", 'created_at', m."createdAt") ORDER BY m."createdAt", m.id)
         FROM "Message" m WHERE m."conversationId" = c.id) AS messages
      ${src.from} ORDER BY ${src.order}`,
    values: p.values,
  };
}

/**
 * Root-to-leaf paths of a dialogue tree, one SFT example each. Raw model suggestions
 * (isSuggestion) are left out with everything under them: the labeler's edit, a sibling,
 * carries the conversation on. A path is cut after its last assistant turn; paths with no
 * assistant turn give nothing.
 */
export function dialoguePaths(messages: TreeMessage[]): ChatMessage[][] {
  const kept = messages.filter((m) => !m.is_suggestion);
  const children = new Map<string | null, TreeMessage[]>();
  const ids = new Set(kept.map((m) => m.id));
  for (const m of kept) {
    const parent = m.parent_id && ids.has(m.parent_id) ? m.parent_id : m.parent_id ? undefined : null;
    if (parent === undefined) continue; // parent was a suggestion: drop the subtree
    const list = children.get(parent) ?? [];
    list.push(m);
    children.set(parent, list);
  }
  const out: ChatMessage[][] = [];
  const walk = (node: TreeMessage, path: ChatMessage[]) => {
    const here = [...path, { role: node.role === 'USER' ? 'user' : 'assistant', content: node.text } as ChatMessage];
    const kids = children.get(node.id);
    if (kids?.length) for (const k of kids) walk(k, here);
    else {
      let end = here.length;
      while (end > 0 && here[end - 1].role !== 'assistant') end--;
      if (end > 0) out.push(here.slice(0, end));
    }
  };
  for (const root of children.get(null) ?? []) walk(root, []);
  return out;
}

/**
 * A dialogue's main branch: root → the leaf stored at submit (cut after its last assistant
 * turn); without a stored leaf, the newest of its paths. Empty when it has no assistant turn.
 */
export function mainBranchPath(messages: TreeMessage[], leafId: string | null): ChatMessage[] | null {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const leaf = leafId ? byId.get(leafId) : undefined;
  if (!leaf) {
    const paths = dialoguePaths(messages);
    return paths.at(-1) ?? null;
  }
  const path: ChatMessage[] = [];
  for (let cur: TreeMessage | undefined = leaf; cur; cur = cur.parent_id ? byId.get(cur.parent_id) : undefined) {
    path.unshift({ role: cur.role === 'USER' ? 'user' : 'assistant', content: cur.text });
  }
  let end = path.length;
  while (end > 0 && path[end - 1].role !== 'assistant') end--;
  return end > 0 ? path.slice(0, end) : null;
}

export async function* sftExampleBatches(sel: Selection, onUnits?: (n: number) => void): AsyncGenerator<SftExample[]> {
  for await (const rows of cursorBatches<DemoRow>(demonstrationSql(sel))) {
    yield rows.map((d) => ({
      source: 'demonstration',
      id: d.id,
      promptId: d.prompt_id,
      messages: [
        { role: 'user', content: d.prompt },
        { role: 'assistant', content: d.text },
      ],
    }));
    onUnits?.(rows.length);
  }
  for await (const rows of cursorBatches<ConvRow>(conversationSql(sel), { batch: 200 })) {
    const out: SftExample[] = [];
    for (const c of rows) {
      // The main branch only, unless the export asked for every branch (branches=all).
      const paths = sel.filter.branches === 'all' ? dialoguePaths(c.messages ?? []) : [mainBranchPath(c.messages ?? [], c.leaf_message_id)].filter((p) => p !== null);
      for (const messages of paths) out.push({ source: 'conversation', id: c.id, promptId: c.prompt_id, messages });
    }
    if (out.length) yield out;
    onUnits?.(rows.length);
  }
}

/** Demonstrations only: the prompt → completion pairs. */
export async function* demonstrationBatches(sel: Selection, onUnits?: (n: number) => void): AsyncGenerator<DemoRow[]> {
  for await (const rows of cursorBatches<DemoRow>(demonstrationSql(sel))) {
    yield rows;
    onUnits?.(rows.length);
  }
}

export type { TreeMessage };
