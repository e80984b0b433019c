// Edit preference pairs for reward-model training: among a round's frozen demonstrations and
// dialogues, every accepted model suggestion the labeler changed gives one two-way ranking
// (edited ≻ raw suggestion) weighted by the project's editPairWeight. A weight of 0 turns them
// off; untouched acceptances (the same text up to line endings and surrounding whitespace:
// lib/shared/edits.ts) give none.
import { prisma } from '../../db';
import { isEdit as edited } from '../../shared/edits';
import type { Msg, RankingRecord } from './round-data';

type Row = { id: string; parentId: string | null; role: 'USER' | 'ASSISTANT'; text: string; editedFromId: string | null; isSuggestion: boolean };
const heldOut = (split: string | undefined) => split === 'VAL' || split === 'TEST';

function contextOf(byId: Map<string, Row>, parentId: string | null): Msg[] {
  const out: Msg[] = [];
  for (let m = parentId ? byId.get(parentId) : undefined; m; m = m.parentId ? byId.get(m.parentId) : undefined) out.unshift({ role: m.role === 'USER' ? 'user' : 'assistant', content: m.text });
  return out;
}

export async function editPairRecords(demoIds: string[], convIds: string[]): Promise<{ train: RankingRecord[]; heldOut: RankingRecord[] }> {
  const out = { train: [] as RankingRecord[], heldOut: [] as RankingRecord[] };
  const weights = new Map<string, number>();
  const weightOf = async (projectId: string) => {
    if (!weights.has(projectId)) weights.set(projectId, (await prisma.project.findUnique({ where: { id: projectId }, select: { editPairWeight: true } }))?.editPairWeight ?? 0);
    return weights.get(projectId)!;
  };
  const demos = await prisma.demonstration.findMany({
    where: { id: { in: demoIds }, suggestionText: { not: null } },
    select: { id: true, projectId: true, text: true, suggestionText: true, prompt: { select: { text: true, split: true } } },
    orderBy: { id: 'asc' },
  });
  for (const d of demos) {
    const weight = await weightOf(d.projectId);
    if (!weight || !edited(d.text, d.suggestionText!)) continue;
    const rec = { id: `edit:${d.id}`, context: [{ role: 'user' as const, content: d.prompt.text }], completions: [d.text, d.suggestionText!], tiers: [[0], [1]], weight };
    (heldOut(d.prompt.split) ? out.heldOut : out.train).push(rec);
  }
  const convs = await prisma.conversation.findMany({
    where: { id: { in: convIds }, messages: { some: { editedFromId: { not: null } } } },
    select: { id: true, projectId: true, prompt: { select: { split: true } }, messages: { select: { id: true, parentId: true, role: true, text: true, editedFromId: true, isSuggestion: true } } },
    orderBy: { id: 'asc' },
  });
  for (const c of convs) {
    const weight = await weightOf(c.projectId);
    if (!weight) continue;
    const byId = new Map(c.messages.map((m) => [m.id, m]));
    for (const m of c.messages.filter((x) => x.editedFromId && !x.isSuggestion).sort((a, b) => a.id.localeCompare(b.id))) {
      const raw = byId.get(m.editedFromId!);
      if (!raw?.isSuggestion || !edited(m.text, raw.text)) continue;
      const rec = { id: `edit:${m.id}`, context: contextOf(byId, m.parentId), completions: [m.text, raw.text], tiers: [[0], [1]], weight };
      (heldOut(c.prompt?.split) ? out.heldOut : out.train).push(rec);
    }
  }
  return out;
}
