import { describe, expect, it } from 'vitest';
import { type ArenaOutcome, type BattleRecord, fitBradleyTerry, fitRatings, pairWinRate, wilsonInterval } from './bradley-terry';

function times(n: number, modelA: string, modelB: string, winner: ArenaOutcome): BattleRecord[] {
  return Array.from({ length: n }, () => ({ modelA, modelB, winner }));
}
const byName = (lb: ReturnType<typeof fitBradleyTerry>) => new Map(lb.models.map((m) => [m.model, m]));

describe('fitBradleyTerry', () => {
  it('3 wins to 1 loss is a strength ratio of 3: a gap of 400·log10 3 ≈ 190.85 around a mean of 1000', () => {
    const battles = [...times(3, 'new', 'old', 'model_a'), ...times(1, 'new', 'old', 'model_b')];
    const lb = fitBradleyTerry(battles, { bootstrap: 0 });
    const m = byName(lb);
    const gap = 400 * Math.log10(3);
    expect(gap).toBeCloseTo(190.85, 2);
    expect(m.get('new')!.rating).toBeCloseTo(1000 + gap / 2, 2);
    expect(m.get('old')!.rating).toBeCloseTo(1000 - gap / 2, 2);
    expect(lb.models.map((x) => x.model)).toEqual(['new', 'old']);
    expect(m.get('new')).toMatchObject({ battles: 4, wins: 3, losses: 1, ties: 0, bothBad: 0, winRate: 0.75 });
    expect(lb.pairs).toEqual([{ modelA: 'new', modelB: 'old', battles: 4, winsA: 3, winsB: 1, ties: 0, bothBad: 0, winRateA: 0.75 }]);
  });

  it('the same gap whichever side of the battle each model was on', () => {
    const battles = [...times(2, 'new', 'old', 'model_a'), ...times(1, 'old', 'new', 'model_b'), ...times(1, 'old', 'new', 'model_a')];
    const r = fitRatings(battles);
    expect(r.get('new')! - r.get('old')!).toBeCloseTo(400 * Math.log10(3), 2);
  });

  it('three models with strengths 1 : 2 : 4 (each pair won exactly as often as BT expects)', () => {
    // Hand check: with π = (1, 2, 4), P(B beats A) = 2/3, P(C beats B) = 2/3, P(C beats A) = 4/5; the
    // observed wins equal the expected wins in every pair, so the MLE is π itself. log10 π = 0, .301, .602,
    // mean .301, so the ratings are 1000 − 120.41, 1000, 1000 + 120.41.
    const battles = [
      ...times(2, 'A', 'B', 'model_b'), ...times(1, 'A', 'B', 'model_a'),
      ...times(2, 'B', 'C', 'model_b'), ...times(1, 'B', 'C', 'model_a'),
      ...times(4, 'A', 'C', 'model_b'), ...times(1, 'A', 'C', 'model_a'),
    ];
    const lb = fitBradleyTerry(battles, { bootstrap: 0 });
    const step = 400 * Math.log10(2);
    expect(step).toBeCloseTo(120.41, 2);
    expect(lb.models.map((m) => m.model)).toEqual(['C', 'B', 'A']);
    expect(lb.models.map((m) => m.rating)).toEqual([
      expect.closeTo(1000 + step, 2), expect.closeTo(1000, 2), expect.closeTo(1000 - step, 2),
    ]);
    expect(lb.models.reduce((s, m) => s + m.rating, 0) / 3).toBeCloseTo(1000, 6);
    // pairs come in leaderboard order: the higher-rated model is modelA
    expect(lb.pairs.map((p) => [p.modelA, p.modelB, p.winsA, p.winsB])).toEqual([['C', 'B', 2, 1], ['C', 'A', 4, 1], ['B', 'A', 2, 1]]);
  });

  it('counts a tie as half a win each way, and a both-bad tie as a tie, but reports them apart', () => {
    // 2 wins + 1 tie + 1 both-bad = 3 weighted wins to 1: the 3:1 gap again
    const battles = [...times(2, 'x', 'y', 'model_a'), ...times(1, 'x', 'y', 'tie'), ...times(1, 'x', 'y', 'tie (bothbad)')];
    const lb = fitBradleyTerry(battles, { bootstrap: 0 });
    const m = byName(lb);
    expect(m.get('x')!.rating - m.get('y')!.rating).toBeCloseTo(400 * Math.log10(3), 2);
    expect(m.get('x')).toMatchObject({ wins: 2, losses: 0, ties: 1, bothBad: 1, winRate: 0.75 });
    expect(m.get('y')).toMatchObject({ wins: 0, losses: 2, ties: 1, bothBad: 1, winRate: 0.25 });
    expect(lb.pairs[0]).toMatchObject({ modelA: 'x', winsA: 2, winsB: 0, ties: 1, bothBad: 1, winRateA: 0.75 });
  });

  it('only ties: both models at 1000', () => {
    const lb = fitBradleyTerry(times(5, 'p', 'q', 'tie'), { bootstrap: 20 });
    for (const m of lb.models) {
      expect(m.rating).toBeCloseTo(1000, 6);
      expect(m.ci95[0]).toBeCloseTo(1000, 6);
      expect(m.ci95[1]).toBeCloseTo(1000, 6);
    }
  });

  it('a model that won every battle stays finite (the prior), far above the other', () => {
    const lb = fitBradleyTerry(times(6, 'best', 'worst', 'model_a'), { bootstrap: 10 });
    const [best, worst] = lb.models;
    expect(best.model).toBe('best');
    expect(Number.isFinite(best.rating) && Number.isFinite(worst.rating)).toBe(true);
    expect(best.rating - worst.rating).toBeGreaterThan(1000);
    expect(best.rating + worst.rating).toBeCloseTo(2000, 6);
  });

  it('the interval holds the point estimate and narrows with ten times the battles', () => {
    const small = [...times(6, 'a', 'b', 'model_a'), ...times(3, 'a', 'b', 'model_b'), ...times(1, 'a', 'b', 'tie')];
    const large = Array.from({ length: 10 }, () => small).flat();
    const width = (battles: BattleRecord[]) => {
      const a = byName(fitBradleyTerry(battles, { seed: 7 })).get('a')!;
      expect(a.ci95[0]).toBeLessThanOrEqual(a.rating);
      expect(a.ci95[1]).toBeGreaterThanOrEqual(a.rating);
      return a.ci95[1] - a.ci95[0];
    };
    const w10 = width(small);
    const w100 = width(large);
    expect(w100).toBeLessThan(w10 / 2);
    expect(w100).toBeGreaterThan(0);
  });

  it('is deterministic by seed, and another seed gives other intervals', () => {
    const battles = [
      ...times(7, 'a', 'b', 'model_a'), ...times(4, 'a', 'b', 'model_b'), ...times(5, 'b', 'c', 'model_a'),
      ...times(2, 'b', 'c', 'tie'), ...times(3, 'a', 'c', 'model_b'), ...times(6, 'a', 'c', 'model_a'),
    ];
    const one = fitBradleyTerry(battles, { seed: 3 });
    expect(fitBradleyTerry(battles, { seed: 3 })).toEqual(one);
    expect(fitBradleyTerry(battles, { seed: 4 }).models.map((m) => m.ci95)).not.toEqual(one.models.map((m) => m.ci95));
  });

  it('ranks by intervals: a model is outranked only by those wholly above it', () => {
    const battles = [
      ...times(40, 'top', 'mid', 'model_a'), ...times(10, 'top', 'mid', 'model_b'),
      ...times(26, 'mid', 'twin', 'model_a'), ...times(24, 'mid', 'twin', 'model_b'),
      ...times(40, 'top', 'twin', 'model_a'), ...times(10, 'top', 'twin', 'model_b'),
    ];
    const lb = fitBradleyTerry(battles, { seed: 1 });
    expect(lb.models.map((m) => [m.model, m.rank])).toEqual([['top', 1], ['mid', 2], ['twin', 2]]);
  });

  it('agrees with Hunter’s MM algorithm (an independent solver) on random votes among five models', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const names = ['a', 'b', 'c', 'd', 'e'];
    const battles: BattleRecord[] = [];
    for (let k = 0; k < 400; k++) {
      const i = Math.floor(rand() * 5);
      const j = (i + 1 + Math.floor(rand() * 4)) % 5;
      const pA = 1 / (1 + Math.exp(-(i - j) * 0.4));
      const u = rand();
      battles.push({ modelA: names[i], modelB: names[j], winner: u < 0.1 ? 'tie' : u < 0.15 ? 'tie (bothbad)' : rand() < pA ? 'model_a' : 'model_b' });
    }
    // MM (Hunter 2004): π_i ← W_i / Σ_j n_ij / (π_i + π_j), ties half a win each way.
    const idx = new Map(names.map((n, i) => [n, i]));
    const w = names.map(() => names.map(() => 0));
    for (const b of battles) {
      const [i, j] = [idx.get(b.modelA)!, idx.get(b.modelB)!];
      if (b.winner === 'model_a') w[i][j] += 1;
      else if (b.winner === 'model_b') w[j][i] += 1;
      else { w[i][j] += 0.5; w[j][i] += 0.5; }
    }
    let pi = names.map(() => 1);
    for (let it = 0; it < 5000; it++) {
      pi = pi.map((p, i) => {
        const wins = w[i].reduce((s, x) => s + x, 0);
        const denom = names.reduce((s, _, j) => (j === i ? s : s + (w[i][j] + w[j][i]) / (p + pi[j])), 0);
        return wins / denom;
      });
    }
    const logs = pi.map((p) => 400 * Math.log10(p));
    const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
    const ours = fitRatings(battles);
    names.forEach((n, i) => expect(ours.get(n)!).toBeCloseTo(1000 + logs[i] - mean, 3));
  });

  it('no battles, no models', () => {
    expect(fitBradleyTerry([])).toEqual({ models: [], pairs: [] });
  });
});

describe('pairWinRate', () => {
  it('counts wins, losses and both kinds of tie from either side of the battle', () => {
    const battles = [
      ...times(3, 'cand', 'prev', 'model_a'), ...times(1, 'prev', 'cand', 'model_b'),
      ...times(2, 'prev', 'cand', 'model_a'), ...times(1, 'cand', 'prev', 'tie'), ...times(1, 'prev', 'cand', 'tie (bothbad)'),
      ...times(4, 'cand', 'other', 'model_a'),
    ];
    expect(pairWinRate(battles, 'cand', 'prev')).toEqual({ rate: 5 / 8, wins: 4, losses: 2, ties: 2, n: 8 });
    expect(pairWinRate(battles, 'prev', 'cand')).toEqual({ rate: 3 / 8, wins: 2, losses: 4, ties: 2, n: 8 });
    expect(pairWinRate(battles, 'prev', 'other').rate).toBeNaN();
  });
});

describe('wilsonInterval', () => {
  it('matches the textbook value and stays inside [0, 1]', () => {
    // 31.5/50 = 0.63: Wilson 95% = [0.4914, 0.7500]
    const [lo, hi] = wilsonInterval(0.63, 50);
    expect(lo).toBeCloseTo(0.4914, 3);
    expect(hi).toBeCloseTo(0.75, 3);
    expect(wilsonInterval(1, 5)[1]).toBeCloseTo(1, 12);
    expect(wilsonInterval(0, 5)[0]).toBeCloseTo(0, 12);
    expect(wilsonInterval(0.5, 0)[0]).toBeNaN();
  });
});
