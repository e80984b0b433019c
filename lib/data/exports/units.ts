// How many source rows a format will read for a selection: the total behind job progress,
// and (with exists) the cheap check that turns an empty selection into a clear error.
import { Params, query } from './cursor';
import { conversationSource, demonstrationSource, judgementSource, type Selection } from './selection';
import type { FormatUnit } from './formats/types';

async function count(build: (p: Params) => string, exists: boolean): Promise<number> {
  const p = new Params();
  const from = build(p);
  const text = exists ? `SELECT EXISTS (SELECT 1 ${from})::int AS n` : `SELECT count(*)::int AS n ${from}`;
  const [row] = await query<{ n: number }>({ text, values: p.values });
  return row.n;
}

export async function countUnits(sel: Selection, unit: FormatUnit, opts: { exists?: boolean } = {}): Promise<number> {
  const exists = opts.exists ?? false;
  const judgements = () => count((p) => judgementSource(sel, p).from, exists);
  const demos = () => count((p) => demonstrationSource(sel, p).from, exists);
  const convs = () => count((p) => conversationSource(sel, p).from, exists);
  switch (unit) {
    case 'judgement':
      return judgements();
    case 'demonstration':
      return demos();
    case 'example':
      return (await demos()) + (await convs());
    case 'tree': {
      const p = new Params();
      const js = judgementSource(sel, p, 'set');
      const cs = conversationSource(sel, p);
      const inner = `FROM "Prompt" p WHERE p.id IN (SELECT s."promptId" ${js.from}) OR p.id IN (SELECT c."promptId" ${cs.from})`;
      const text = exists ? `SELECT (EXISTS (SELECT 1 ${inner}) OR EXISTS (SELECT 1 ${cs.from}))::int AS n` : `SELECT count(*)::int AS n ${inner}`;
      const [row] = await query<{ n: number }>({ text, values: p.values });
      return row.n;
    }
  }
}
