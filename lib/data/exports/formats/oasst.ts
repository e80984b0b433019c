// OpenAssistant (oasst) message trees, the shape of the oasst export files
// (oasst_data.schemas.ExportMessageTree / ExportMessageNode): one line per tree
// {message_tree_id, tree_state, prompt: node, origin}; each node has message_id, parent_id,
// user_id, text, role ("prompter" | "assistant"), lang, review_count, review_result, deleted,
// rank, synthetic, model_name, emojis, replies, labels ({name: {value, count}}), events.
//
// A tree is rooted at a prompt. Its replies are (1) the K completions of every selected set
// of the prompt, with rank = the set's consensus tier (0 = best; tied completions share a
// rank), labels = each flag's share of the set's judgements, and the raw rankings as
// `ranking` events on the parent (ranked_message_ids best first; ties in the order of
// completion index; not_rankable = "all bad"); (2) the selected dialogues on that prompt
// (and the dialogue contexts of selected sets), suggestions and edits included. A dialogue
// whose first user turn repeats the prompt is merged into the prompt node. Dialogues with no
// prompt are trees of their own.
import { copeland } from '../../quality/consensus';
import { parseTiers, type Tiers } from '../../quality/ranking';
import { cursorBatches, Params, query } from '../cursor';
import { conversationSource, judgementSource, type Selection } from '../selection';
import type { ExportFormat } from './types';

type Node = {
  message_id: string;
  parent_id: string | null;
  user_id: string | null;
  text: string;
  role: 'prompter' | 'assistant';
  lang: string | null;
  review_count: number | null;
  review_result: boolean | null;
  deleted: boolean;
  rank: number | null;
  synthetic: boolean;
  model_name: string | null;
  emojis: Record<string, number> | null;
  replies: Node[];
  labels: Record<string, { value: number; count: number }> | null;
  events: Record<string, unknown[]> | null;
};

type PromptRow = { id: string; text: string; user_id: string | null };
type JRow = { id: string; set_id: string; user_id: string; tiers: unknown; all_bad: boolean; flags: unknown; prompt_id: string; source_model: string; context_message_id: string | null; conversation_id: string | null };
type CRow = { id: string; set_id: string; index: number; text: string };
type MRow = { id: string; conversation_id: string; prompt_id: string | null; parent_id: string | null; role: 'USER' | 'ASSISTANT'; text: string; author_user_id: string | null; author_checkpoint_id: string | null; is_suggestion: boolean; edited_from_id: string | null };

function node(id: string, parent: string | null, text: string, role: Node['role'], extra: Partial<Node> = {}): Node {
  return { message_id: id, parent_id: parent, user_id: null, text, role, lang: null, review_count: null, review_result: null, deleted: false, rank: null, synthetic: false, model_name: null, emojis: null, replies: [], labels: null, events: null, ...extra };
}

function messageNode(m: MRow, parent: string | null): Node {
  return node(m.id, parent, m.text, m.role === 'USER' ? 'prompter' : 'assistant', {
    user_id: m.author_user_id,
    synthetic: m.author_checkpoint_id !== null && m.edited_from_id === null,
    model_name: m.author_checkpoint_id,
    labels: m.is_suggestion ? { suggestion: { value: 1, count: 1 } } : m.edited_from_id ? { edited_suggestion: { value: 1, count: 1 } } : null,
  });
}

/** Attaches dialogue messages under `root` (or returns their own roots when root is null). */
function graftMessages(messages: MRow[], root: Node | null, index: Map<string, Node>): Node[] {
  const roots: Node[] = [];
  const alias = new Map<string, string>();
  for (const m of messages) {
    const parentId = m.parent_id ? (alias.get(m.parent_id) ?? m.parent_id) : null;
    if (!parentId && root && m.role === 'USER' && m.text.trim() === root.text.trim()) {
      alias.set(m.id, root.message_id); // the dialogue's opening turn is the prompt itself
      continue;
    }
    const parent = parentId ? index.get(parentId) : root;
    const n = messageNode(m, parent ? parent.message_id : null);
    index.set(m.id, n);
    if (parent) parent.replies.push(n);
    else roots.push(n);
  }
  return roots;
}

function attachSet(treeId: string, parent: Node, completions: CRow[], js: JRow[], modelName: string) {
  const rankings = js.map((j) => parseTiers(j.tiers)).filter((t): t is Tiers => t !== null);
  const c = copeland(rankings, completions.map((x) => x.index));
  const rankOf = new Map<number, number>();
  c?.tiers.forEach((tier, r) => tier.forEach((i) => rankOf.set(i, r)));
  for (const comp of completions) {
    const labels: Record<string, { value: number; count: number }> = {};
    const counts = new Map<string, number>();
    for (const j of js) {
      const f = j.flags && typeof j.flags === 'object' ? (j.flags as Record<string, unknown>)[String(comp.index)] : undefined;
      if (Array.isArray(f)) for (const name of new Set(f.map(String))) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const [name, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) labels[name] = { value: n / js.length, count: js.length };
    parent.replies.push(
      node(comp.id, parent.message_id, comp.text, 'assistant', {
        rank: rankOf.get(comp.index) ?? null,
        synthetic: true,
        model_name: modelName,
        labels: Object.keys(labels).length ? labels : null,
      }),
    );
  }
  const byIndex = new Map(completions.map((x) => [x.index, x.id]));
  const events = (parent.events ??= {});
  const list = (events.ranking ??= []);
  for (const j of js) {
    const t = parseTiers(j.tiers) ?? [];
    const ranking = t.flatMap((tier) => [...tier].sort((a, b) => a - b));
    list.push({
      type: 'ranking',
      user_id: j.user_id,
      ranking,
      ranked_message_ids: ranking.map((i) => byIndex.get(i) ?? null),
      ranking_parent_id: parent.message_id,
      message_tree_id: treeId,
      not_rankable: j.all_bad,
    });
  }
}

async function promptTrees(sel: Selection, prompts: PromptRow[]) {
  const ids = prompts.map((p) => p.id);
  const pj = new Params();
  const js = judgementSource(sel, pj, 'set');
  const jrows = await query<JRow>({
    text: `SELECT j.id, j."setId" AS set_id, j."userId" AS user_id, j.tiers, j."allBad" AS all_bad, j.flags, s."promptId" AS prompt_id,
        s."sourceModel" AS source_model, s."contextMessageId" AS context_message_id, s."conversationId" AS conversation_id
      ${js.from} AND s."promptId" = ANY(${pj.add(ids)}::text[]) ORDER BY ${js.order}`,
    values: pj.values,
  });
  const setIds = [...new Set(jrows.map((j) => j.set_id))];
  const comps = setIds.length
    ? await query<CRow>({ text: 'SELECT id, "setId" AS set_id, index, text FROM "Completion" WHERE "setId" = ANY($1::text[]) ORDER BY "setId", index', values: [setIds] })
    : [];
  const pc = new Params();
  const cs = conversationSource(sel, pc);
  const convIds = (await query<{ id: string }>({ text: `SELECT c.id ${cs.from} AND c."promptId" = ANY(${pc.add(ids)}::text[])`, values: pc.values })).map((r) => r.id);
  for (const j of jrows) if (j.conversation_id && !convIds.includes(j.conversation_id)) convIds.push(j.conversation_id);
  const msgs = convIds.length
    ? await query<MRow>({
        text: `SELECT m.id, m."conversationId" AS conversation_id, c."promptId" AS prompt_id, m."parentId" AS parent_id, m.role, m.text,
            m."authorUserId" AS author_user_id, m."authorCheckpointId" AS author_checkpoint_id, m."isSuggestion" AS is_suggestion, m."editedFromId" AS edited_from_id
          FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId" WHERE m."conversationId" = ANY($1::text[])
          ORDER BY c."createdAt", c.id, m."createdAt", m.id`,
        values: [convIds],
      })
    : [];
  return prompts.map((p) => {
    const root = node(p.id, null, p.text, 'prompter', { user_id: p.user_id });
    const index = new Map<string, Node>([[p.id, root]]);
    const convs = new Map<string, MRow[]>();
    for (const m of msgs) if (m.prompt_id === p.id) convs.set(m.conversation_id, [...(convs.get(m.conversation_id) ?? []), m]);
    for (const list of convs.values()) graftMessages(list, root, index);
    const sets = new Map<string, JRow[]>();
    for (const j of jrows) if (j.prompt_id === p.id) sets.set(j.set_id, [...(sets.get(j.set_id) ?? []), j]);
    for (const [setId, list] of sets) {
      const parent = (list[0].context_message_id && index.get(list[0].context_message_id)) || root;
      attachSet(p.id, parent, comps.filter((c) => c.set_id === setId), list, list[0].source_model);
    }
    return { message_tree_id: p.id, tree_state: 'ready_for_export', prompt: root, origin: 'hone' };
  });
}

export const oasst: ExportFormat = {
  id: 'oasst',
  title: 'OASST message trees',
  description: 'One line per prompt: an OpenAssistant-style message tree with ranked completions, flag labels, ranking events and dialogues.',
  fields: ['message_tree_id', 'tree_state', 'prompt', 'origin'],
  unit: 'tree',
  async *records(sel, progress) {
    const p = new Params();
    const js = judgementSource(sel, p, 'set');
    const cs = conversationSource(sel, p);
    const promptsSql = {
      text: `SELECT p.id, p.text, p."createdById" AS user_id FROM "Prompt" p
        WHERE p.id IN (SELECT s."promptId" ${js.from}) OR p.id IN (SELECT c."promptId" ${cs.from})
        ORDER BY p."createdAt", p.id`,
      values: p.values,
    };
    for await (const prompts of cursorBatches<PromptRow>(promptsSql, { batch: 100 })) {
      yield await promptTrees(sel, prompts);
      progress(prompts.length);
    }
    // Dialogues that start from no prompt: each root message is a tree.
    const pc = new Params();
    const lone = conversationSource(sel, pc);
    const convSql = {
      text: `SELECT m.id, m."conversationId" AS conversation_id, NULL AS prompt_id, m."parentId" AS parent_id, m.role, m.text,
          m."authorUserId" AS author_user_id, m."authorCheckpointId" AS author_checkpoint_id, m."isSuggestion" AS is_suggestion, m."editedFromId" AS edited_from_id
        FROM "Message" m JOIN (SELECT c.id, c."createdAt" ${lone.from} AND c."promptId" IS NULL) c ON c.id = m."conversationId"
        ORDER BY c."createdAt", c.id, m."createdAt", m.id`,
      values: pc.values,
    };
    let conv: MRow[] = [];
    const flush = () => {
      const trees = graftMessages(conv, null, new Map()).map((r) => ({ message_tree_id: r.message_id, tree_state: 'ready_for_export', prompt: r, origin: 'hone' }));
      conv = [];
      return trees;
    };
    for await (const rows of cursorBatches<MRow>(convSql)) {
      const out: unknown[] = [];
      for (const m of rows) {
        if (conv.length && conv[0].conversation_id !== m.conversation_id) out.push(...flush());
        conv.push(m);
      }
      if (out.length) yield out;
    }
    if (conv.length) yield flush();
  },
};
