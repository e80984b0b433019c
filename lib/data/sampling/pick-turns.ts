// Which turns of a dialogue get an in-context comparison (ChatGPT's recipe: take a trainer's
// conversation, pick a model-written message at random, sample alternatives to it). Pure and
// seeded, so a recorded seed gives the same picks again.
import { isEdit } from '../../shared/edits';
import { mulberry32 } from '../../shared/labeling';

export type TreeTurn = {
  id: string;
  parentId: string | null;
  role: 'USER' | 'ASSISTANT';
  text: string;
  isSuggestion: boolean;
  authorCheckpointId: string | null;
  /** The model named by a conversation file (imported dialogues). */
  authorModel: string | null;
  /** The raw suggestion's text when this turn was accepted from one. */
  editedFromText: string | null;
};

// Accepted as it was: a browser's line endings or surrounding whitespace do not make it an edit.

/**
 * Model-written assistant turns: written by a checkpoint, imported with a model's name, or a
 * suggestion accepted word for word. A suggestion the labeler edited is the labeler's turn,
 * and raw suggestions (kept beside their edit, off the conversation) are never turns.
 */
export function modelWrittenTurns(turns: TreeTurn[]): TreeTurn[] {
  return turns.filter(
    (t) =>
      t.role === 'ASSISTANT' &&
      !t.isSuggestion &&
      t.parentId !== null &&
      (t.authorCheckpointId !== null || t.authorModel !== null || (t.editedFromText !== null && !isEdit(t.text, t.editedFromText))),
  );
}

/**
 * Picks round(rate × n) of the n model-written turns at random (the fraction rounds up with
 * probability equal to it, so the expected share is exactly `rate`). Turns are considered in
 * the order given; the same turns, rate and seed give the same picks.
 */
export function pickTurns(candidates: TreeTurn[], rate: number, seed: number): TreeTurn[] {
  if (!candidates.length || rate <= 0) return [];
  const rand = mulberry32(seed);
  const exact = Math.min(1, rate) * candidates.length;
  const count = Math.min(candidates.length, Math.floor(exact) + (rand() < exact - Math.floor(exact) ? 1 : 0));
  const order = candidates.map((t, i) => ({ t, key: rand(), i }));
  order.sort((a, b) => a.key - b.key || a.i - b.i);
  return order.slice(0, count).map((o) => o.t).sort((a, b) => candidates.indexOf(a) - candidates.indexOf(b));
}

/** The conversation up to (not including) a turn: root → its parent. */
export function contextBefore(turns: TreeTurn[], turn: TreeTurn): { role: 'user' | 'assistant'; content: string }[] {
  const byId = new Map(turns.map((t) => [t.id, t]));
  const out: { role: 'user' | 'assistant'; content: string }[] = [];
  let cur = turn.parentId ? byId.get(turn.parentId) : undefined;
  while (cur) {
    out.unshift({ role: cur.role === 'USER' ? 'user' : 'assistant', content: cur.text });
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return out;
}
