import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../shared/labeling';
import { defaultGold } from './gold';
import { corpusPrompts, flawedCompletions, goldAnswer } from './corpus';
import { BAD_GOLD, simulateArena, simulatedVote, simulatedWinRate, type ArenaItem } from './arena-sim';

const careful = 'A cat is a small pet.';

describe('the simulated arena', () => {
  it('votes by the gold order without noise: the better reply wins on either side, equal replies tie, two bad ones are both bad', () => {
    const rand = mulberry32(1);
    const q = 'What is a cat?';
    expect(defaultGold(q, careful)).toBeGreaterThan(defaultGold(q, 'Yes'));
    expect(simulatedVote(q, careful, 'Yes', { noise: 0, rand })).toBe('model_a');
    expect(simulatedVote(q, 'Yes', careful, { noise: 0, rand })).toBe('model_b');
    expect(simulatedVote(q, careful, careful, { noise: 0, rand })).toBe('tie');
    expect(defaultGold(q, '')).toBeLessThan(BAD_GOLD);
    expect(simulatedVote(q, '', '   ', { noise: 0, rand })).toBe('tie (bothbad)');
  });

  it('agrees with gold on every corpus pair gold can tell apart when noise is 0', () => {
    const items: ArenaItem[] = corpusPrompts(20).flatMap((p, i) => flawedCompletions(p.text, 3, i).map((c) => ({ prompt: p.text, a: goldAnswer(p.text), b: c })));
    const battles = simulateArena(items, { modelA: 'careful', modelB: 'flawed', noise: 0, seed: 7 });
    battles.forEach((b, i) => {
      const ga = defaultGold(items[i].prompt, items[i].a);
      const gb = defaultGold(items[i].prompt, items[i].b);
      expect(b.winner).toBe(ga > gb ? 'model_a' : ga < gb ? 'model_b' : ga < BAD_GOLD ? 'tie (bothbad)' : 'tie');
    });
    const wr = simulatedWinRate(battles);
    expect(wr.losses).toBe(0);
    expect(wr.rate).toBeGreaterThan(0.5);
  });

  it('is deterministic per seed; noise 1 votes at random, about a quarter of each answer', () => {
    const items: ArenaItem[] = Array.from({ length: 800 }, () => ({ prompt: 'What is a cat?', a: careful, b: 'Yes' }));
    const x = simulateArena(items, { modelA: 'a', modelB: 'b', noise: 1, seed: 3 });
    expect(simulateArena(items, { modelA: 'a', modelB: 'b', noise: 1, seed: 3 })).toEqual(x);
    expect(simulateArena(items, { modelA: 'a', modelB: 'b', noise: 1, seed: 4 })).not.toEqual(x);
    const wr = simulatedWinRate(x);
    for (const n of [wr.wins, wr.losses, wr.ties, wr.bothBad]) {
      expect(n / 800).toBeGreaterThan(0.18);
      expect(n / 800).toBeLessThan(0.32);
    }
    // noise 0.2: the better model still wins, by less
    const some = simulatedWinRate(simulateArena(items, { modelA: 'a', modelB: 'b', noise: 0.2, seed: 3 }));
    expect(some.rate).toBeGreaterThan(0.85);
    expect(some.rate).toBeLessThan(1);
  });

  it('counts the win rate as (wins + ties/2) / votes, both bad as a tie', () => {
    const wr = simulatedWinRate([
      { modelA: 'a', modelB: 'b', winner: 'model_a' },
      { modelA: 'a', modelB: 'b', winner: 'model_a' },
      { modelA: 'a', modelB: 'b', winner: 'model_b' },
      { modelA: 'a', modelB: 'b', winner: 'tie' },
      { modelA: 'a', modelB: 'b', winner: 'tie (bothbad)' },
    ]);
    expect(wr).toEqual({ wins: 2, losses: 1, ties: 1, bothBad: 1, votes: 5, rate: 3 / 5 });
    expect(simulatedWinRate([]).rate).toBeNaN();
  });
});
