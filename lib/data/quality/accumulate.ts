// Labeler agreement and bias, accumulated one ranking set at a time, so a project of any size
// streams through in memory proportional to one set plus one row per labeler.
//
// Per set: Kendall τ-b between each pair of labelers who ranked it.
// Per project: Krippendorff's α (ordinal). Units are (set, completion); each labeler's value
// for a unit is the completion's fractional rank inside that labeler's ranking (1 = best, tied
// completions share the mean of their positions). α ordinal is the right metric because ranks
// are ordered categories whose distances are not meaningful, and it tolerates missing coders
// (overlap varies, labelers see different sets) unlike Fleiss' κ or Kendall's W.
// Per labeler: mean τ-b with the leave-one-out consensus (Copeland over the other labelers of
// the same set), gold agreement (pairwise accuracy over the gold order's non-tied pairs, and
// mean τ-b with admin-marked gold orders), position bias (share of judgements
// whose first-displayed completion landed in the top tier, against the share expected by
// chance, |top tier| / K) and length bias (share of strict preferences where the longer
// completion won; 0.5 is none).
import { tiersToPairs } from '../../shared/labeling';
import { copeland } from './consensus';
import { goldPairAgreement } from './gold-accuracy';
import { kendallTauB } from './kendall';
import { AlphaAccumulator } from './krippendorff';
import { midRanks, parseTiers, type Tiers } from './ranking';

export type SetJudgement = { userId: string; tiers: unknown; displayOrder: unknown; timeMs: number };
export type SetInput = { setId: string; prompt: string; lengths: number[]; goldTiers: unknown; judgements: SetJudgement[] };

export type LabelerQuality = {
  userId: string;
  judgements: number;
  looAgreement: number | null;
  looSets: number;
  goldAgreement: number | null;
  goldSets: number;
  /** Share of the gold orders' non-tied pairs the labeler ordered as gold did (ties count as wrong). */
  goldAccuracy: number | null;
  /** Non-tied gold pairs judged (the accuracy's denominator). */
  goldPairs: number;
  /** Share of judgements whose first-displayed completion is in the top tier. */
  firstShownWins: number | null;
  /** The share expected with no position bias: mean |top tier| / K. */
  firstShownExpected: number | null;
  /** Share of strict preferences (different lengths) won by the longer completion. */
  longerWins: number | null;
  lengthPairs: number;
  meanTimeMs: number | null;
};

export type SetAgreement = { setId: string; prompt: string; judgements: number; meanTauB: number | null; pairs: { a: string; b: string; tauB: number | null }[] };

export type QualityReport = {
  sets: number;
  setsWithOverlap: number;
  judgements: number;
  alpha: number | null;
  alphaUnits: number;
  meanTauB: number | null;
  tauHistogram: { from: number; to: number; count: number }[];
  lowestAgreement: SetAgreement[];
  firstShownWins: number | null;
  firstShownExpected: number | null;
  longerWins: number | null;
  labelers: LabelerQuality[];
};

type Acc = { j: number; loo: number; looN: number; gold: number; goldN: number; goldPairs: number; goldCorrect: number; first: number; firstExp: number; firstN: number; longer: number; lenN: number; time: number };

const mean = (s: number, n: number) => (n ? s / n : null);
const BINS = 10;

export class QualityAccumulator {
  private alpha = new AlphaAccumulator();
  private labelers = new Map<string, Acc>();
  private tauSum = 0;
  private tauN = 0;
  private hist = new Array(BINS).fill(0);
  private sets = 0;
  private overlap = 0;
  private judgements = 0;
  private lowest: SetAgreement[] = [];

  constructor(private keepLowest = 20) {}

  private acc(userId: string): Acc {
    let a = this.labelers.get(userId);
    if (!a) this.labelers.set(userId, (a = { j: 0, loo: 0, looN: 0, gold: 0, goldN: 0, goldPairs: 0, goldCorrect: 0, first: 0, firstExp: 0, firstN: 0, longer: 0, lenN: 0, time: 0 }));
    return a;
  }

  addSet(set: SetInput): SetAgreement {
    this.sets++;
    const js = set.judgements
      .map((j) => ({ ...j, t: parseTiers(j.tiers) }))
      .filter((j): j is SetJudgement & { t: Tiers } => j.t !== null);
    const gold = parseTiers(set.goldTiers);
    for (const j of js) {
      this.judgements++;
      const a = this.acc(j.userId);
      a.j++;
      a.time += j.timeMs;
      const k = j.t.reduce((s, t) => s + t.length, 0);
      const order = Array.isArray(j.displayOrder) ? (j.displayOrder as number[]) : [];
      if (order.length && k > 0) {
        a.firstN++;
        if (j.t[0].includes(order[0])) a.first++;
        a.firstExp += j.t[0].length / k;
      }
      for (const pr of tiersToPairs(j.t)) {
        const lc = set.lengths[pr.chosen];
        const lr = set.lengths[pr.rejected];
        if (lc === undefined || lr === undefined || lc === lr) continue;
        a.lenN++;
        if (lc > lr) a.longer++;
      }
      if (gold) {
        const pa = goldPairAgreement(j.t, gold);
        a.goldPairs += pa.pairs;
        a.goldCorrect += pa.correct;
        const tau = kendallTauB(j.t, gold);
        if (tau !== null) {
          a.gold += tau;
          a.goldN++;
        }
      }
      if (js.length >= 2) {
        const others = js.filter((o) => o !== j).map((o) => o.t);
        const c = copeland(others);
        const tau = c ? kendallTauB(j.t, c.tiers) : null;
        if (tau !== null) {
          a.loo += tau;
          a.looN++;
        }
      }
    }
    const pairs: SetAgreement['pairs'] = [];
    let sum = 0;
    let n = 0;
    for (let x = 0; x < js.length; x++) {
      for (let y = x + 1; y < js.length; y++) {
        const tau = kendallTauB(js[x].t, js[y].t);
        pairs.push({ a: js[x].userId, b: js[y].userId, tauB: tau });
        if (tau === null) continue;
        sum += tau;
        n++;
        this.tauSum += tau;
        this.tauN++;
        this.hist[Math.min(BINS - 1, Math.floor(((tau + 1) / 2) * BINS))]++;
      }
    }
    if (js.length >= 2) {
      this.overlap++;
      const ranks = js.map((j) => midRanks(j.t));
      const items = new Set<number>();
      for (const r of ranks) for (const i of r.keys()) items.add(i);
      for (const i of items) this.alpha.addUnit(ranks.filter((r) => r.has(i)).map((r) => r.get(i)!));
    }
    const agreement: SetAgreement = { setId: set.setId, prompt: set.prompt, judgements: js.length, meanTauB: mean(sum, n), pairs };
    if (agreement.meanTauB !== null) {
      this.lowest.push(agreement);
      this.lowest.sort((p, q) => p.meanTauB! - q.meanTauB! || (p.setId < q.setId ? -1 : 1));
      if (this.lowest.length > this.keepLowest) this.lowest.pop();
    }
    return agreement;
  }

  report(): QualityReport {
    const labelers = [...this.labelers.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([userId, a]) => ({
        userId,
        judgements: a.j,
        looAgreement: mean(a.loo, a.looN),
        looSets: a.looN,
        goldAgreement: mean(a.gold, a.goldN),
        goldSets: a.goldN,
        goldAccuracy: mean(a.goldCorrect, a.goldPairs),
        goldPairs: a.goldPairs,
        firstShownWins: mean(a.first, a.firstN),
        firstShownExpected: mean(a.firstExp, a.firstN),
        longerWins: mean(a.longer, a.lenN),
        lengthPairs: a.lenN,
        meanTimeMs: mean(a.time, a.j),
      }));
    const tot = { first: 0, exp: 0, n: 0, longer: 0, lenN: 0 };
    for (const a of this.labelers.values()) {
      tot.first += a.first;
      tot.exp += a.firstExp;
      tot.n += a.firstN;
      tot.longer += a.longer;
      tot.lenN += a.lenN;
    }
    return {
      sets: this.sets,
      setsWithOverlap: this.overlap,
      judgements: this.judgements,
      alpha: this.alpha.alpha('ordinal'),
      alphaUnits: this.alpha.units,
      meanTauB: mean(this.tauSum, this.tauN),
      tauHistogram: this.hist.map((count, i) => ({ from: -1 + (2 * i) / BINS, to: -1 + (2 * (i + 1)) / BINS, count })),
      lowestAgreement: this.lowest,
      firstShownWins: mean(tot.first, tot.n),
      firstShownExpected: mean(tot.exp, tot.n),
      longerWins: mean(tot.longer, tot.lenN),
      labelers,
    };
  }
}
