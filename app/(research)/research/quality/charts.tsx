// Small inline-SVG charts for the quality dashboard (server-rendered, no chart library).
// Every chart has a title and a text description for screen readers; the numbers are also in
// the tables beside them.

const W = 560;

export function Histogram({ bins, title, desc }: { bins: { from: number; to: number; count: number }[]; title: string; desc: string }) {
  const H = 180;
  const pad = { l: 36, r: 8, t: 10, b: 28 };
  const max = Math.max(1, ...bins.map((b) => b.count));
  const bw = (W - pad.l - pad.r) / bins.length;
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby="hist-t hist-d" style={{ maxWidth: W }}>
      <title id="hist-t">{title}</title>
      <desc id="hist-d">{desc}</desc>
      <line x1={pad.l} x2={W - pad.r} y1={H - pad.b} y2={H - pad.b} stroke="var(--border-strong)" />
      {[0, max].map((v) => (
        <text key={v} x={pad.l - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="var(--text-muted)">
          {v}
        </text>
      ))}
      {bins.map((b, i) => (
        <g key={i}>
          <rect x={pad.l + i * bw + 2} y={y(b.count)} width={bw - 4} height={H - pad.b - y(b.count)} fill={b.from < 0 ? 'var(--danger)' : 'var(--primary)'} opacity={0.8}>
            <title>{`τ-b ${b.from.toFixed(1)} to ${b.to.toFixed(1)}: ${b.count} labeler pairs`}</title>
          </rect>
          {i % 2 === 0 && (
            <text x={pad.l + i * bw} y={H - pad.b + 16} textAnchor="middle" fontSize="11" fill="var(--text-muted)">
              {b.from.toFixed(1)}
            </text>
          )}
        </g>
      ))}
      <text x={W - pad.r} y={H - pad.b + 16} textAnchor="end" fontSize="11" fill="var(--text-muted)">
        1.0
      </text>
    </svg>
  );
}

type Bar = { label: string; value: number | null };

/** Horizontal bars on a fixed [min, max] axis with a reference line (e.g. 0, or chance). */
export function BarChart({ bars, min, max, reference, title, desc, format = (v) => v.toFixed(2) }: { bars: Bar[]; min: number; max: number; reference?: number; title: string; desc: string; format?: (v: number) => string }) {
  const row = 22;
  const pad = { l: 140, r: 56, t: 8, b: 22 };
  const H = pad.t + pad.b + row * bars.length;
  const x = (v: number) => pad.l + ((W - pad.l - pad.r) * (v - min)) / (max - min);
  const id = title.replace(/\W+/g, '-').toLowerCase();
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={`${id}-t ${id}-d`} style={{ maxWidth: W }}>
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      {bars.map((b, i) => {
        const yy = pad.t + i * row;
        const v = b.value;
        const base = x(Math.max(min, Math.min(max, reference ?? min)));
        return (
          <g key={b.label + i}>
            <text x={pad.l - 8} y={yy + 15} textAnchor="end" fontSize="12" fill="var(--text)">
              {b.label.length > 18 ? `${b.label.slice(0, 17)}…` : b.label}
            </text>
            {v === null ? (
              <text x={base + 4} y={yy + 15} fontSize="11" fill="var(--text-muted)">
                no data
              </text>
            ) : (
              <>
                <rect x={Math.min(base, x(v))} y={yy + 4} width={Math.max(1, Math.abs(x(v) - base))} height={row - 8} fill={reference !== undefined && v < reference ? 'var(--danger)' : 'var(--primary)'} opacity={0.8}>
                  <title>{`${b.label}: ${format(v)}`}</title>
                </rect>
                <text x={W - pad.r + 6} y={yy + 15} fontSize="11" fill="var(--text-muted)">
                  {format(v)}
                </text>
              </>
            )}
          </g>
        );
      })}
      {reference !== undefined && <line x1={x(reference)} x2={x(reference)} y1={pad.t} y2={H - pad.b} stroke="var(--text-muted)" strokeDasharray="3 3" />}
      {[min, reference ?? min, max]
        .filter((v, i, a) => a.indexOf(v) === i)
        .map((v) => (
          <text key={v} x={x(v)} y={H - 6} textAnchor="middle" fontSize="11" fill="var(--text-muted)">
            {format(v)}
          </text>
        ))}
    </svg>
  );
}
