// The arena leaderboard: a Bradley–Terry fit of pairwise human votes, the way Chatbot Arena's
// notebook does it (compute_mle_elo), with percentile bootstrap intervals and plain win rates.
//
// Model: P(a beats b) = σ(θa − θb), θ in natural-log strength units. A vote is a weighted row of
// a logistic regression without intercept: a win counts 1 for the winner, a tie counts ½ each way
// (Chatbot Arena duplicates the row with Y=1 and Y=0, which is the same likelihood), and a
// both-bad tie ("tie (bothbad)") is a tie. Ratings are on Chatbot Arena's Elo-like scale,
// rating = 1000 + 400·log10(strength) = 1000 + (400/ln 10)·θ, so a 3:1 strength ratio is a gap of
// 400·log10 3 ≈ 190.85 points.
//
// The likelihood only knows differences, and a model that won (or lost) every battle has no finite
// maximum, so the fit adds a tiny L2 prior (λ/2)·Σθ², λ = 1e-6 unless told. The prior keeps every
// rating finite and also anchors the scale: at the optimum Σθ = 0 (the likelihood's gradient sums
// to zero over models), so the mean rating is exactly 1000. Its pull on a normal fit is ~λ, far
// below a rating point; a model with all wins lands a few thousand points up, which the interval
// then shows as unbounded by the data. Solved by Newton's method with a backtracking line search
// (the objective is strictly convex), to |step| < 1e-10.
import { mulberry32 } from '../labeling';

export type ArenaOutcome = 'model_a' | 'model_b' | 'tie' | 'tie (bothbad)';
export const ARENA_OUTCOMES: readonly ArenaOutcome[] = ['model_a', 'model_b', 'tie', 'tie (bothbad)'];
export type BattleRecord = { modelA: string; modelB: string; winner: ArenaOutcome };

export type LeaderboardModel = {
  model: string;
  /** 1 + the number of models whose interval lies wholly above this one's (Chatbot Arena's rank). */
  rank: number;
  rating: number;
  /** Percentile bootstrap interval [2.5%, 97.5%] of the rating; the point itself when bootstrap = 0. */
  ci95: [number, number];
  battles: number;
  wins: number;
  losses: number;
  /** Plain ties; both-bad ties are counted apart in bothBad. */
  ties: number;
  bothBad: number;
  /** (wins + (ties + bothBad)/2) / battles; NaN with no battles. */
  winRate: number;
};
export type LeaderboardPair = {
  /** The higher-rated of the two (the leaderboard's order). */
  modelA: string;
  modelB: string;
  battles: number;
  winsA: number;
  winsB: number;
  ties: number;
  bothBad: number;
  /** (winsA + (ties + bothBad)/2) / battles */
  winRateA: number;
};
export type Leaderboard = { models: LeaderboardModel[]; pairs: LeaderboardPair[] };

export type FitOptions = {
  /** Bootstrap rounds for the intervals (default 200; 0 skips them). */
  bootstrap?: number;
  /** Seed of the bootstrap's resampling (default 1): the same votes and seed give the same intervals. */
  seed?: number;
  /** The L2 prior's λ (default 1e-6); see the file comment. */
  prior?: number;
};

const RATING_SCALE = 400 / Math.LN10; // rating points per natural-log unit of strength
const RATING_ANCHOR = 1000;
const DEFAULT_PRIOR = 1e-6;

/** Where each model appears in the fit: names in first-seen order and their index. */
function indexModels(battles: readonly BattleRecord[]): { names: string[]; index: Map<string, number> } {
  const index = new Map<string, number>();
  const names: string[] = [];
  for (const b of battles) {
    for (const m of [b.modelA, b.modelB]) {
      if (!index.has(m)) {
        index.set(m, names.length);
        names.push(m);
      }
    }
  }
  return { names, index };
}

/** Each battle as a cell id: pair (i<j) × outcome seen from i. Lets the bootstrap count, not copy. */
type Cells = { m: number; cellOf: Int32Array };
const OUTCOME_CODES = 4; // 0: i won, 1: j won, 2: tie, 3: both bad

function encode(battles: readonly BattleRecord[], index: Map<string, number>): Cells {
  const m = index.size;
  const cellOf = new Int32Array(battles.length);
  battles.forEach((b, k) => {
    let i = index.get(b.modelA)!;
    let j = index.get(b.modelB)!;
    let code = b.winner === 'model_a' ? 0 : b.winner === 'model_b' ? 1 : b.winner === 'tie' ? 2 : 3;
    if (i > j) {
      [i, j] = [j, i];
      if (code < 2) code = 1 - code;
    }
    cellOf[k] = (i * m + j) * OUTCOME_CODES + code;
  });
  return { m, cellOf };
}

/** w[i*m+j]: weighted wins of i over j (ties ½ each way), from per-cell counts. */
function winMatrix(m: number, counts: Float64Array): Float64Array {
  const w = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const base = (i * m + j) * OUTCOME_CODES;
      const half = (counts[base + 2] + counts[base + 3]) / 2;
      w[i * m + j] += counts[base] + half;
      w[j * m + i] += counts[base + 1] + half;
    }
  }
  return w;
}

function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}
function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** −log-likelihood + prior, the objective Newton minimises. */
function objective(m: number, w: Float64Array, theta: Float64Array, prior: number): number {
  let f = 0;
  for (let i = 0; i < m; i++) {
    f += (prior / 2) * theta[i] * theta[i];
    for (let j = 0; j < m; j++) {
      const wij = w[i * m + j];
      if (wij > 0) f -= wij * logSigmoid(theta[i] - theta[j]);
    }
  }
  return f;
}

/** Solves A x = b in place by Gaussian elimination with partial pivoting (A is m×m, small). */
function solve(m: number, a: Float64Array, b: Float64Array): Float64Array {
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c]) > Math.abs(a[p * m + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < m; k++) [a[c * m + k], a[p * m + k]] = [a[p * m + k], a[c * m + k]];
      [b[c], b[p]] = [b[p], b[c]];
    }
    for (let r = c + 1; r < m; r++) {
      const f = a[r * m + c] / a[c * m + c];
      if (f === 0) continue;
      for (let k = c; k < m; k++) a[r * m + k] -= f * a[c * m + k];
      b[r] -= f * b[c];
    }
  }
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < m; k++) s -= a[r * m + k] * x[k];
    x[r] = s / a[r * m + r];
  }
  return x;
}

/** θ maximising the penalised likelihood of the win matrix w (m models). */
function fitTheta(m: number, w: Float64Array, prior: number): Float64Array {
  let theta = new Float64Array(m);
  let f = objective(m, w, theta, prior);
  for (let iter = 0; iter < 200; iter++) {
    // gradient g and Hessian h of the objective (convex: h is positive definite thanks to the prior)
    const g = new Float64Array(m);
    const h = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      g[i] = prior * theta[i];
      h[i * m + i] = prior;
    }
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const n = w[i * m + j] + w[j * m + i];
        if (n === 0) continue;
        const p = sigmoid(theta[i] - theta[j]); // P(i beats j)
        const r = n * p - w[i * m + j]; // expected minus observed wins of i over j
        g[i] += r;
        g[j] -= r;
        const c = n * p * (1 - p);
        h[i * m + i] += c;
        h[j * m + j] += c;
        h[i * m + j] -= c;
        h[j * m + i] -= c;
      }
    }
    const step = solve(m, h, g); // Newton direction is −step
    let t = 1;
    let next = theta;
    let fNext = f;
    for (let k = 0; k < 60; k++) {
      next = theta.map((v, i) => v - t * step[i]);
      fNext = objective(m, w, next, prior);
      if (fNext <= f) break;
      t /= 2;
    }
    let largest = 0;
    for (let i = 0; i < m; i++) largest = Math.max(largest, Math.abs(t * step[i]));
    theta = next;
    f = fNext;
    if (largest < 1e-10) break;
  }
  return theta;
}

function toRating(theta: number): number {
  return RATING_ANCHOR + RATING_SCALE * theta;
}

/** numpy's default (linear) quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Maximum-likelihood Bradley–Terry ratings (mean 1000) for the names in battles. */
export function fitRatings(battles: readonly BattleRecord[], prior = DEFAULT_PRIOR): Map<string, number> {
  const { names, index } = indexModels(battles);
  const { m, cellOf } = encode(battles, index);
  const counts = new Float64Array(m * m * OUTCOME_CODES);
  for (const c of cellOf) counts[c] += 1;
  const theta = fitTheta(m, winMatrix(m, counts), prior);
  return new Map(names.map((n, i) => [n, toRating(theta[i])]));
}

/**
 * The leaderboard: ratings, bootstrap intervals (battles resampled with replacement, each
 * replicate refitted; a model absent from a replicate adds nothing to its interval), counts and
 * win rates per model and per pair. Models are sorted by rating, best first.
 */
export function fitBradleyTerry(battles: readonly BattleRecord[], opts: FitOptions = {}): Leaderboard {
  const rounds = opts.bootstrap ?? 200;
  const prior = opts.prior ?? DEFAULT_PRIOR;
  const { names, index } = indexModels(battles);
  const { m, cellOf } = encode(battles, index);
  const cellCount = m * m * OUTCOME_CODES;

  const counts = new Float64Array(cellCount);
  for (const c of cellOf) counts[c] += 1;
  const theta = fitTheta(m, winMatrix(m, counts), prior);
  const ratings = Array.from(theta, toRating);

  // Bootstrap: n draws of a battle index per replicate, counted into cells.
  const samples: number[][] = names.map(() => []);
  const rand = mulberry32(opts.seed ?? 1);
  for (let r = 0; r < rounds && battles.length > 0; r++) {
    const resampled = new Float64Array(cellCount);
    for (let k = 0; k < battles.length; k++) resampled[cellOf[Math.floor(rand() * battles.length)]] += 1;
    const w = winMatrix(m, resampled);
    const t = fitTheta(m, w, prior);
    for (let i = 0; i < m; i++) {
      let present = false;
      for (let j = 0; j < m && !present; j++) present = w[i * m + j] + w[j * m + i] > 0;
      if (present) samples[i].push(toRating(t[i]));
    }
  }
  const ci = samples.map((s, i): [number, number] => {
    if (s.length === 0) return [ratings[i], ratings[i]];
    const sorted = [...s].sort((a, b) => a - b);
    return [quantile(sorted, 0.025), quantile(sorted, 0.975)];
  });

  // Counts per model.
  const tally = names.map(() => ({ battles: 0, wins: 0, losses: 0, ties: 0, bothBad: 0 }));
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const base = (i * m + j) * OUTCOME_CODES;
      const [iWon, jWon, tie, bad] = [counts[base], counts[base + 1], counts[base + 2], counts[base + 3]];
      const n = iWon + jWon + tie + bad;
      for (const [me, won, lost] of [[i, iWon, jWon], [j, jWon, iWon]] as const) {
        tally[me].battles += n;
        tally[me].wins += won;
        tally[me].losses += lost;
        tally[me].ties += tie;
        tally[me].bothBad += bad;
      }
    }
  }

  const order = names.map((_, i) => i).sort((a, b) => ratings[b] - ratings[a] || names[a].localeCompare(names[b]));
  const models: LeaderboardModel[] = order.map((i) => ({
    model: names[i],
    rank: 1 + order.filter((k) => ci[k][0] > ci[i][1]).length,
    rating: ratings[i],
    ci95: ci[i],
    ...tally[i],
    winRate: tally[i].battles ? (tally[i].wins + (tally[i].ties + tally[i].bothBad) / 2) / tally[i].battles : Number.NaN,
  }));

  const pairs: LeaderboardPair[] = [];
  for (let x = 0; x < m; x++) {
    for (let y = x + 1; y < m; y++) {
      const a = order[x];
      const b = order[y];
      const [i, j] = a < b ? [a, b] : [b, a];
      const base = (i * m + j) * OUTCOME_CODES;
      const aIsI = a === i;
      const winsA = counts[base + (aIsI ? 0 : 1)];
      const winsB = counts[base + (aIsI ? 1 : 0)];
      const ties = counts[base + 2];
      const bothBad = counts[base + 3];
      const n = winsA + winsB + ties + bothBad;
      if (n === 0) continue;
      pairs.push({ modelA: names[a], modelB: names[b], battles: n, winsA, winsB, ties, bothBad, winRateA: (winsA + (ties + bothBad) / 2) / n });
    }
  }
  return { models, pairs };
}

/**
 * How often `model` beat `opponent` in their battles (either order): rate = (wins + ties/2)/n,
 * where ties counts both kinds of tie; NaN when they never met.
 */
export function pairWinRate(
  battles: readonly BattleRecord[],
  model: string,
  opponent: string,
): { rate: number; wins: number; losses: number; ties: number; n: number } {
  let wins = 0;
  let losses = 0;
  let ties = 0;
  for (const b of battles) {
    const mine = b.modelA === model && b.modelB === opponent ? 'model_a' : b.modelB === model && b.modelA === opponent ? 'model_b' : null;
    if (!mine) continue;
    if (b.winner === 'tie' || b.winner === 'tie (bothbad)') ties += 1;
    else if (b.winner === mine) wins += 1;
    else losses += 1;
  }
  const n = wins + losses + ties;
  return { rate: n ? (wins + ties / 2) / n : Number.NaN, wins, losses, ties, n };
}

/** Wilson score interval of a proportion (95% by default); [NaN, NaN] with n = 0. */
export function wilsonInterval(rate: number, n: number, z = 1.959964): [number, number] {
  if (n <= 0) return [Number.NaN, Number.NaN];
  const z2 = z * z;
  const centre = (rate + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
