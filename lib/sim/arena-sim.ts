// A simulated arena (docs/researchers.md, "Measuring the loop"): labelers vote between two
// models' replies to the same held-out prompt by the gold preference, as the ARENA tasks ask
// people to — A, B, tie, or both bad — and with probability `noise` a careless, random vote.
// Battles come out in Chatbot Arena's outcome words, ready for lib/shared/arena/bradley-terry.ts.
import { mulberry32 } from '../shared/labeling';
import { defaultGold, type GoldPreference } from './gold';

export type SimOutcome = 'model_a' | 'model_b' | 'tie' | 'tie (bothbad)';
/** One vote, in the shape of bradley-terry.ts's BattleRecord. */
export type SimBattle = { modelA: string; modelB: string; winner: SimOutcome };

const OUTCOMES: readonly SimOutcome[] = ['model_a', 'model_b', 'tie', 'tie (bothbad)'];

/**
 * Below this gold score a reply is "bad": no final period, off-topic, far off the length. A tie
 * of two such replies is voted "both bad" (defaultGold gives a careful answer about 2.5).
 */
export const BAD_GOLD = 0;

/** One labeler's vote between replies a and b to `prompt`: the gold preference, or (noise) a random answer. */
export function simulatedVote(prompt: string, a: string, b: string, o: { gold?: GoldPreference; noise: number; badBelow?: number; rand: () => number }): SimOutcome {
  if (o.rand() < o.noise) return OUTCOMES[Math.floor(o.rand() * OUTCOMES.length)];
  const gold = o.gold ?? defaultGold;
  const ga = gold(prompt, a);
  const gb = gold(prompt, b);
  if (Math.abs(ga - gb) < 1e-9) return ga < (o.badBelow ?? BAD_GOLD) ? 'tie (bothbad)' : 'tie';
  return ga > gb ? 'model_a' : 'model_b';
}

export type ArenaItem = { prompt: string; a: string; b: string };

/**
 * One vote per item between model `modelA` (replies `a`) and `modelB` (replies `b`). The side
 * each model is shown on does not matter to a gold-voting labeler, so the battle keeps A as A.
 */
export function simulateArena(items: ArenaItem[], o: { modelA: string; modelB: string; gold?: GoldPreference; noise: number; badBelow?: number; seed: number }): SimBattle[] {
  const rand = mulberry32(o.seed);
  return items.map((it) => ({ modelA: o.modelA, modelB: o.modelB, winner: simulatedVote(it.prompt, it.a, it.b, { ...o, rand }) }));
}

export type WinRate = { rate: number; wins: number; losses: number; ties: number; bothBad: number; votes: number };

/** Model A's win rate over battles between A and B: (wins + ties/2) / votes, both-bad counting as a tie. */
export function simulatedWinRate(battles: SimBattle[]): WinRate {
  const r = { wins: 0, losses: 0, ties: 0, bothBad: 0, votes: battles.length };
  for (const b of battles) {
    if (b.winner === 'model_a') r.wins++;
    else if (b.winner === 'model_b') r.losses++;
    else if (b.winner === 'tie') r.ties++;
    else r.bothBad++;
  }
  return { ...r, rate: r.votes ? (r.wins + (r.ties + r.bothBad) / 2) / r.votes : NaN };
}
