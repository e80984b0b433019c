// A ranking as text: "#2 > #0 = #1 > #3" (completion indices, best first; "=" is a tie).
export function tiersText(tiers: number[][] | null): string {
  return tiers ? tiers.map((t) => t.map((i) => `#${i}`).join(' = ')).join(' > ') : '—';
}

export function Tiers({ tiers, label }: { tiers: number[][] | null; label?: string }) {
  const text = tiersText(tiers);
  const spoken = tiers ? tiers.map((t) => t.map((i) => `completion ${i}`).join(' tied with ')).join(', then ') : 'no ranking';
  return (
    <span className="mono" aria-label={label ? `${label}: ${spoken}` : spoken}>
      {text}
    </span>
  );
}
