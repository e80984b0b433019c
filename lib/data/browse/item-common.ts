// Pieces every data-browser item page shares: which snapshots and rounds used an item, a
// judgement as the pages show it, and the 404 for an item that is not in the project.
import { prisma, type Prisma } from '../../db';
import { unsafeTextReason } from '../../shared/text-safety';
import { AppError } from '../errors';
import { parseTiers, type Tiers } from '../quality/ranking';

export const ITEM_TYPES = ['demonstration', 'conversation', 'judgement', 'prompt', 'set'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export function itemNotFound(type: string, id: string): AppError {
  return new AppError('NOT_FOUND', `This project has no ${type} with id "${id.slice(0, 40)}".`);
}

/** Ids from a URL that no row can have (NUL, lone surrogates): a 404 before Postgres refuses them. */
export function assertStorableId(what: string, id: string): void {
  if (unsafeTextReason(id)) throw new AppError('NOT_FOUND', `There is no ${what} with that id.`);
}

export type UsedIn = { snapshotId: string; kind: string; createdAt: string; round: { id: string; number: number } | null }[];

/** The project's snapshots (round snapshots name their round) that list any of `ids` as `itemType`. */
export async function usedIn(projectId: string, itemType: Exclude<ItemType, 'set'>, ids: string[]): Promise<UsedIn> {
  if (!ids.length) return [];
  const rows = await prisma.datasetSnapshot.findMany({
    where: { projectId, items: { some: { itemType, itemId: { in: ids } } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, kind: true, createdAt: true, rounds: { select: { id: true, number: true }, take: 1 } },
  });
  return rows.map((r) => ({ snapshotId: r.id, kind: r.kind, createdAt: r.createdAt.toISOString(), round: r.rounds[0] ?? null }));
}

export type JudgementView = {
  id: string;
  setId: string;
  labeler: { id: string; name: string };
  tiers: Tiers | null;
  allBad: boolean;
  flags: Record<string, string[]>;
  likert: number | null;
  likertPerCompletion: Record<string, number> | null;
  comment: string | null;
  displayOrder: number[];
  timeMs: number;
  guidelineVersion: number;
  guidelineOutdated: boolean;
  createdAt: string;
};

export const JUDGEMENT_SELECT = {
  id: true,
  setId: true,
  tiers: true,
  allBad: true,
  flags: true,
  likert: true,
  likertPerCompletion: true,
  comment: true,
  displayOrder: true,
  timeMs: true,
  guidelineVersion: true,
  guidelineOutdated: true,
  createdAt: true,
  user: { select: { id: true, name: true } },
} satisfies Prisma.JudgementSelect;

type JudgementRow = Prisma.JudgementGetPayload<{ select: typeof JUDGEMENT_SELECT }>;

export function judgementView(j: JudgementRow): JudgementView {
  const flags: Record<string, string[]> = {};
  for (const [k, v] of Object.entries((j.flags ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v) && v.length) flags[k] = v.filter((f): f is string => typeof f === 'string');
  }
  return {
    id: j.id,
    setId: j.setId,
    labeler: j.user,
    tiers: parseTiers(j.tiers),
    allBad: j.allBad,
    flags,
    likert: j.likert,
    likertPerCompletion: (j.likertPerCompletion as Record<string, number> | null) ?? null,
    comment: j.comment,
    displayOrder: Array.isArray(j.displayOrder) ? (j.displayOrder as unknown[]).filter((i): i is number => Number.isInteger(i)) : [],
    timeMs: j.timeMs,
    guidelineVersion: j.guidelineVersion,
    guidelineOutdated: j.guidelineOutdated,
    createdAt: j.createdAt.toISOString(),
  };
}

export type Turn = { id: string; parentId: string | null; role: 'USER' | 'ASSISTANT'; text: string; author: string; isSuggestion: boolean; editedFromId: string | null; createdAt: string };

export const TURN_SELECT = {
  id: true,
  parentId: true,
  role: true,
  text: true,
  isSuggestion: true,
  editedFromId: true,
  createdAt: true,
  authorUser: { select: { name: true } },
  authorCheckpoint: { select: { name: true } },
} satisfies Prisma.MessageSelect;

export function turnView(m: Prisma.MessageGetPayload<{ select: typeof TURN_SELECT }>): Turn {
  const author = m.authorCheckpoint ? `model ${m.authorCheckpoint.name}` : (m.authorUser?.name ?? 'unknown');
  return { id: m.id, parentId: m.parentId, role: m.role, text: m.text, author, isSuggestion: m.isSuggestion, editedFromId: m.editedFromId, createdAt: m.createdAt.toISOString() };
}

/** Every turn of a dialogue, oldest first. */
export async function dialogueTurns(conversationId: string): Promise<Turn[]> {
  const rows = await prisma.message.findMany({ where: { conversationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: TURN_SELECT });
  return rows.map(turnView);
}

/** The turns from the dialogue's first message down to `lastId`, oldest first. */
export function threadTo(turns: Turn[], lastId: string): Turn[] {
  const byId = new Map(turns.map((t) => [t.id, t]));
  const out: Turn[] = [];
  // The bound keeps a corrupt cycle from looping.
  for (let t = byId.get(lastId); t && out.length < turns.length; t = t.parentId ? byId.get(t.parentId) : undefined) out.unshift(t);
  return out;
}

export type PromptRef = { id: string; text: string; split: 'TRAIN' | 'VAL' | 'TEST' };
export type TaskRef = { id: string; kind: 'DEMONSTRATION' | 'DIALOGUE' | 'RANKING' | 'ARENA'; status: 'OPEN' | 'DONE' | 'CANCELLED'; wanted: number; doneCount: number; activeCount: number };
export const TASK_SELECT = { id: true, kind: true, status: true, wanted: true, doneCount: true, activeCount: true } satisfies Prisma.TaskSelect;
