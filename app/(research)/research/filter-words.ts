// A stored selection filter (a snapshot's, an export job's) in words, instead of its JSON:
// "Train split · round 2 · by Ann, Bob · 2026-01-01 to 2026-01-31". An empty filter is everything.

export const EVERYTHING = 'All judgements, demonstrations and dialogues';

type Names = { rounds?: { id: string; number: number }[]; labelers?: { id: string; name: string }[] };

const SPLIT_WORDS: Record<string, string> = { TRAIN: 'Train split', VAL: 'Validation split', TEST: 'Test split' };
const day = (v: unknown) => String(v).slice(0, 10);

export function filterWords(filter: unknown, names: Names = {}): string {
  const f = (filter && typeof filter === 'object' ? filter : {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof f.split === 'string') parts.push(SPLIT_WORDS[f.split.toUpperCase()] ?? `${f.split} split`);
  if (typeof f.roundId === 'string') {
    const n = names.rounds?.find((r) => r.id === f.roundId)?.number;
    parts.push(n === undefined ? `round ${f.roundId.slice(0, 8)}` : `round ${n}`);
  }
  if (Array.isArray(f.labelerIds) && f.labelerIds.length) {
    const who = f.labelerIds.map((id) => names.labelers?.find((l) => l.id === id)?.name ?? String(id).slice(0, 8));
    parts.push(`by ${who.length > 3 ? `${who.slice(0, 3).join(', ')} and ${who.length - 3} more` : who.join(', ')}`);
  }
  if (f.from !== undefined && f.to !== undefined) parts.push(`${day(f.from)} to ${day(f.to)}`);
  else if (f.from !== undefined) parts.push(`from ${day(f.from)}`);
  else if (f.to !== undefined) parts.push(`until ${day(f.to)}`);
  if (typeof f.minAgreement === 'number') parts.push(`labelers agreeing with consensus at τ ≥ ${f.minAgreement}`);
  if (typeof f.minGoldAgreement === 'number') parts.push(`labelers agreeing with gold at τ ≥ ${f.minGoldAgreement}`);
  if (typeof f.minGoldAccuracy === 'number') parts.push(`labelers ordering ≥ ${Math.round(f.minGoldAccuracy * 100)}% of gold pairs as gold`);
  if (!parts.length) return EVERYTHING;
  const text = parts.join(' · ');
  return text[0]!.toUpperCase() + text.slice(1);
}
