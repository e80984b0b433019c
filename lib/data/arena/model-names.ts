// The name each arena model goes by on the leaderboard and in exports: its checkpoint's name when
// the evaluation started, made unique within the evaluation (two checkpoints may share a name, and
// a Chatbot Arena file keys models by name alone) by suffixing the later ones with their position.
export function modelNames(models: readonly { id: string; name: string; position: number }[]): Map<string, string> {
  const sorted = [...models].sort((a, b) => a.position - b.position);
  const seen = new Set<string>();
  const out = new Map<string, string>();
  for (const m of sorted) {
    const name = seen.has(m.name) ? `${m.name} #${m.position + 1}` : m.name;
    seen.add(name);
    out.set(m.id, name);
  }
  return out;
}
