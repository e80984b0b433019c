// A round's frozen inputs as the training records the ML core reads: SFT conversations, K-way
// rankings and PPO prompts, each split into train and held-out (prompts of the VAL and TEST
// splits are held out). Read from the snapshot's item list, so the same snapshot always gives
// the same data, whatever labelers have done since. Items that cannot train (a dialogue without
// an answer, a ranking that ties everything) are passed on: the trainers skip and count them, so
// the stage's log says how many there were (lib/ml/data/screen.ts).
import { prisma } from '../../db';
import { editPairRecords } from './edit-pairs';

export type Msg = { role: 'system' | 'user' | 'assistant'; content: string };
export type SftRecord = { id: string; messages: Msg[] };
/** weight: the pair's share in the RM loss (edit pairs: the project's editPairWeight; rankings 1). */
export type RankingRecord = { id: string; context: Msg[]; completions: string[]; tiers: number[][]; weight?: number };
export type PromptRecord = { id: string; context: Msg[] };

export type RoundData = {
  sft: SftRecord[];
  sftHeldOut: SftRecord[];
  rankings: RankingRecord[];
  rankingsHeldOut: RankingRecord[];
  prompts: PromptRecord[];
  promptsHeldOut: PromptRecord[];
  /** Plain text of train-split prompts, demonstrations and dialogues, for pretraining a base
   *  model (held-out items never train anything, or the held-out losses would flatter it). */
  text: string[];
};

type MessageRow = { id: string; parentId: string | null; role: 'USER' | 'ASSISTANT'; text: string; isSuggestion: boolean; createdAt: Date };
const role = (r: 'USER' | 'ASSISTANT'): Msg['role'] => (r === 'USER' ? 'user' : 'assistant');

/** The path root → `leafId` through the message tree. */
export function pathTo(messages: MessageRow[], leafId: string): Msg[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const out: Msg[] = [];
  let cur = byId.get(leafId);
  while (cur) {
    out.unshift({ role: role(cur.role), content: cur.text });
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return out;
}

/** A dialogue's main branch: root → the leaf stored at submit, cut after its last assistant
 *  turn; dialogues submitted before leaves were stored follow mainLine. */
export function mainBranch(messages: MessageRow[], leafId: string | null): Msg[] {
  if (!leafId || !messages.some((m) => m.id === leafId)) return mainLine(messages);
  const path = pathTo(messages, leafId);
  let end = path.length;
  while (end > 0 && path[end - 1].role !== 'assistant') end--;
  return path.slice(0, end);
}

/** A dialogue's newest line: from the root, always the newest child that is not a raw suggestion. */
export function mainLine(messages: MessageRow[]): Msg[] {
  const kept = messages.filter((m) => !m.isSuggestion).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const children = new Map<string | null, MessageRow[]>();
  for (const m of kept) children.set(m.parentId, [...(children.get(m.parentId) ?? []), m]);
  const out: Msg[] = [];
  let next = children.get(null)?.at(-1);
  while (next) {
    out.push({ role: role(next.role), content: next.text });
    next = children.get(next.id)?.at(-1);
  }
  return out;
}

const heldOutSplit = (split: string) => split === 'VAL' || split === 'TEST';

export async function loadRoundData(snapshotId: string): Promise<RoundData> {
  const items = await prisma.datasetSnapshotItem.findMany({ where: { snapshotId }, select: { itemType: true, itemId: true }, orderBy: { ordinal: 'asc' } });
  return loadRecords(items);
}

/** The training records of some items (a snapshot's, or those a launch would freeze). */
export async function loadRecords(items: { itemType: string; itemId: string }[]): Promise<RoundData> {
  const ids = (t: string) => items.filter((i) => i.itemType === t).map((i) => i.itemId);

  const out: RoundData = { sft: [], sftHeldOut: [], rankings: [], rankingsHeldOut: [], prompts: [], promptsHeldOut: [], text: [] };

  const demos = await prisma.demonstration.findMany({ where: { id: { in: ids('demonstration') } }, select: { id: true, text: true, prompt: { select: { text: true, split: true } } }, orderBy: { id: 'asc' } });
  for (const d of demos) {
    const rec = { id: d.id, messages: [{ role: 'user' as const, content: d.prompt.text }, { role: 'assistant' as const, content: d.text }] };
    if (heldOutSplit(d.prompt.split)) out.sftHeldOut.push(rec);
    else {
      out.sft.push(rec);
      out.text.push(`${d.prompt.text}\n${d.text}`);
    }
  }

  const convs = await prisma.conversation.findMany({
    where: { id: { in: ids('conversation') } },
    select: { id: true, leafMessageId: true, prompt: { select: { split: true } }, messages: { select: { id: true, parentId: true, role: true, text: true, isSuggestion: true, createdAt: true } } },
    orderBy: { id: 'asc' },
  });
  for (const c of convs) {
    const messages = mainBranch(c.messages, c.leafMessageId);
    if (c.prompt && heldOutSplit(c.prompt.split)) out.sftHeldOut.push({ id: c.id, messages });
    else {
      out.sft.push({ id: c.id, messages });
      out.text.push(messages.map((m) => m.content).join('\n'));
    }
  }

  const judgements = await prisma.judgement.findMany({
    where: { id: { in: ids('judgement') } },
    select: {
      id: true, tiers: true,
      set: {
        select: {
          contextMessageId: true,
          prompt: { select: { text: true, split: true } },
          conversation: { select: { messages: { select: { id: true, parentId: true, role: true, text: true, isSuggestion: true, createdAt: true } } } },
          completions: { select: { index: true, text: true }, orderBy: { index: 'asc' } },
        },
      },
    },
    orderBy: { id: 'asc' },
  });
  for (const j of judgements) {
    const tiers = Array.isArray(j.tiers) ? (j.tiers as number[][]) : []; // fewer than 2 tiers: no preference pair (skipped and counted)
    const context =
      j.set.contextMessageId && j.set.conversation ? pathTo(j.set.conversation.messages, j.set.contextMessageId) : [{ role: 'user' as const, content: j.set.prompt.text }];
    const rec = { id: j.id, context, completions: j.set.completions.map((c) => c.text), tiers };
    (heldOutSplit(j.set.prompt.split) ? out.rankingsHeldOut : out.rankings).push(rec);
  }

  const edits = await editPairRecords(ids('demonstration'), ids('conversation')); // edited ≻ raw suggestion
  out.rankings.push(...edits.train);
  out.rankingsHeldOut.push(...edits.heldOut);

  const prompts = await prisma.prompt.findMany({ where: { id: { in: ids('prompt') } }, select: { id: true, text: true, split: true }, orderBy: { id: 'asc' } });
  for (const p of prompts) {
    const rec = { id: p.id, context: [{ role: 'user' as const, content: p.text }] };
    if (heldOutSplit(p.split)) out.promptsHeldOut.push(rec);
    else {
      out.prompts.push(rec);
      out.text.push(p.text);
    }
  }
  return out;
}
