// A small inline-SVG line chart of one metric over steps (no chart library).
type Point = { step: number; value: number };

export function LineChart({ title, points, width = 300, height = 120, color = '#2563eb' }: { title: string; points: Point[]; width?: number; height?: number; color?: string }) {
  const pad = { l: 44, r: 8, t: 8, b: 20 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const last = points.at(-1);
  if (!points.length) {
    return (
      <figure className="card card-muted" style={{ margin: 0, padding: 8, width }} aria-label={`${title}: no data yet`}>
        <figcaption className="small muted">{title}: waiting for the first step…</figcaption>
      </figure>
    );
  }
  const xs = points.map((p) => p.step);
  const ys = points.map((p) => p.value);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs, x0 + 1);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (y1 - y0 < 1e-9) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const sx = (s: number) => pad.l + ((s - x0) / (x1 - x0)) * w;
  const sy = (v: number) => pad.t + (1 - (v - y0) / (y1 - y0)) * h;
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.step).toFixed(1)},${sy(p.value).toFixed(1)}`).join(' ');
  const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));
  return (
    <figure className="card" style={{ margin: 0, padding: 8, width }}>
      <figcaption className="small" style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
        <strong>{title}</strong>
        <span className="mono">{last ? fmt(last.value) : ''}</span>
      </figcaption>
      <svg width={width - 16} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title} over ${points.length} steps, latest ${last ? fmt(last.value) : ''}`}>
        <line x1={pad.l} y1={pad.t + h} x2={pad.l + w} y2={pad.t + h} stroke="#ccc" />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={pad.t + h} stroke="#ccc" />
        <text x={pad.l - 4} y={pad.t + 8} fontSize="10" textAnchor="end" fill="#666">{fmt(y1)}</text>
        <text x={pad.l - 4} y={pad.t + h} fontSize="10" textAnchor="end" fill="#666">{fmt(y0)}</text>
        <text x={pad.l} y={height - 4} fontSize="10" fill="#666">{x0}</text>
        <text x={pad.l + w} y={height - 4} fontSize="10" textAnchor="end" fill="#666">step {x1}</text>
        <path d={d} fill="none" stroke={color} strokeWidth="1.5" />
      </svg>
    </figure>
  );
}
