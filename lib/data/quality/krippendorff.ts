// Krippendorff's α from a coincidence matrix, accumulated one unit at a time so a whole
// project streams through in constant memory (only distinct values are kept).
//
//   α = 1 − (n − 1) · Σ_{c,k} o_ck δ²_ck / Σ_{c,k} n_c n_k δ²_ck
//
// o_ck: coincidences (each unit with m ≥ 2 values adds 1/(m − 1) for every ordered pair of
// values from different coders), n_c = Σ_k o_ck, n = Σ_c n_c. Metrics δ²:
//   nominal  c ≠ k ? 1 : 0
//   interval (c − k)²
//   ordinal  (Σ_{g=c..k} n_g − (n_c + n_k)/2)²   (values ordered; ranks by frequency)
// Checked against Krippendorff (2011), "Computing Krippendorff's alpha-reliability",
// reliability data with 4 observers × 12 units: nominal .743, ordinal .815, interval .849.

export type AlphaMetric = 'nominal' | 'ordinal' | 'interval';

export class AlphaAccumulator {
  private o = new Map<number, Map<number, number>>();
  units = 0;

  /** One unit: the values the coders gave it (missing values left out). */
  addUnit(values: number[]): void {
    const m = values.length;
    if (m < 2) return;
    this.units++;
    const w = 1 / (m - 1);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i === j) continue;
        let row = this.o.get(values[i]);
        if (!row) this.o.set(values[i], (row = new Map()));
        row.set(values[j], (row.get(values[j]) ?? 0) + w);
      }
    }
  }

  /** α, or null when there is nothing pairable or no variation at all (D_e = 0). */
  alpha(metric: AlphaMetric): number | null {
    const values = [...this.o.keys()].sort((a, b) => a - b);
    if (!values.length) return null;
    const nc = new Map<number, number>();
    for (const c of values) nc.set(c, [...this.o.get(c)!.values()].reduce((s, v) => s + v, 0));
    const n = [...nc.values()].reduce((s, v) => s + v, 0);
    const idx = new Map(values.map((v, i) => [v, i]));
    const cum: number[] = [];
    values.reduce((s, v, i) => (cum[i] = s + nc.get(v)!), 0);
    const delta2 = (c: number, k: number): number => {
      if (c === k) return 0;
      if (metric === 'nominal') return 1;
      if (metric === 'interval') return (c - k) ** 2;
      const [lo, hi] = idx.get(c)! < idx.get(k)! ? [c, k] : [k, c];
      const between = cum[idx.get(hi)!] - (idx.get(lo)! > 0 ? cum[idx.get(lo)! - 1] : 0);
      return (between - (nc.get(c)! + nc.get(k)!) / 2) ** 2;
    };
    let dO = 0;
    let dE = 0;
    for (const c of values) {
      for (const k of values) {
        const d = delta2(c, k);
        if (!d) continue;
        dO += (this.o.get(c)!.get(k) ?? 0) * d;
        dE += nc.get(c)! * nc.get(k)! * d;
      }
    }
    if (dE === 0) return null;
    return 1 - ((n - 1) * dO) / dE;
  }
}
