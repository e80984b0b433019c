// An audit row's data on one line: `format=jsonl · imported=12 · duplicates=0`; nested values as
// short JSON, long strings cut, so a row stays one table row.
const MAX_VALUE = 80;

function value(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

export function compactData(data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${value(v)}`)
    .join(' · ');
}
