import { describe, expect, it } from 'vitest';
import { contextBefore, modelWrittenTurns, pickTurns, type TreeTurn } from './pick-turns';

const turn = (id: string, parentId: string | null, role: 'USER' | 'ASSISTANT', o: Partial<TreeTurn> = {}): TreeTurn => ({
  id, parentId, role, text: id, isSuggestion: false, authorCheckpointId: null, authorModel: null, editedFromText: null, ...o,
});

describe('pickTurns', () => {
  const tree = [
    turn('u1', null, 'USER'),
    turn('s1', 'u1', 'ASSISTANT', { isSuggestion: true, authorCheckpointId: 'ck' }), // a raw suggestion: never a turn
    turn('a1', 'u1', 'ASSISTANT', { text: 's1\r\n', editedFromText: ' s1' }), // accepted word for word: model-written
    turn('u2', 'a1', 'USER'),
    turn('a2', 'u2', 'ASSISTANT', { text: 'edited', editedFromText: 'raw' }), // edited: the labeler's
    turn('u3', 'a2', 'USER'),
    turn('a3', 'u3', 'ASSISTANT', { authorModel: 'gpt-x' }), // imported with a model name
    turn('a4', 'u3', 'ASSISTANT', { authorCheckpointId: 'ck' }),
  ];

  it('counts accepted, imported and checkpoint-written turns as model-written; edits and raw suggestions not', () => {
    expect(modelWrittenTurns(tree).map((t) => t.id)).toEqual(['a1', 'a3', 'a4']);
  });

  it('picks the share given, the same way for the same seed', () => {
    const m = modelWrittenTurns(tree);
    expect(pickTurns(m, 1, 7).map((t) => t.id)).toEqual(['a1', 'a3', 'a4']);
    expect(pickTurns(m, 0, 7)).toEqual([]);
    expect(pickTurns([], 1, 7)).toEqual([]);
    for (let seed = 0; seed < 20; seed++) {
      const a = pickTurns(m, 0.5, seed).map((t) => t.id);
      expect(pickTurns(m, 0.5, seed).map((t) => t.id)).toEqual(a);
      expect([1, 2]).toContain(a.length);
    }
    // Over many seeds the share picked is the rate.
    let picked = 0;
    for (let seed = 0; seed < 2000; seed++) picked += pickTurns(m, 0.5, seed).length;
    expect(picked / (2000 * 3)).toBeGreaterThan(0.46);
    expect(picked / (2000 * 3)).toBeLessThan(0.54);
  });

  it('gives the conversation up to a turn', () => {
    expect(contextBefore(tree, tree[6]).map((m) => m.content)).toEqual(['u1', 's1\r\n', 'u2', 'edited', 'u3']);
  });
});
