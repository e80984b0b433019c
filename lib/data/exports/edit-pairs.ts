// Edit preference pairs for the preference exports: a labeler accepted a model suggestion and
// changed it, so (edited ≻ raw suggestion). From demonstrations (answer vs suggestionText) and
// from dialogues (a message vs the raw suggestion it was edited from). Untouched acceptances
// (the same text in lib/shared/edits.ts's canonical form) give nothing. Same selection as the other sources (selection.ts).
import { cursorBatches, Params, query, type Sql } from './cursor';
import { conversationSource, demonstrationSource, type Selection } from './selection';
import type { ChatMessage } from './sources';
import { TRIMMED_CODE_POINTS } from '../../shared/edits';

export type EditPairRow = {
  id: string; // the demonstration or the edited message
  source: 'demonstration' | 'message';
  user_id: string;
  prompt_id: string | null;
  prompt: string;
  /** The dialogue up to the suggested turn (dialogue edits); null for demonstrations. */
  context: ChatMessage[] | null;
  chosen: string;
  rejected: string;
  checkpoint_id: string | null;
  split: string;
  guideline_version: number | null;
  created_at: Date;
};

// lib/shared/edits.ts's canonical form in SQL: NFC, \n line endings, trimmed as trim() does.
const TRIM_SET = TRIMMED_CODE_POINTS.map((c) => `chr(${c})`).join(' || ');
const canonicalSql = (col: string) => `btrim(regexp_replace(normalize(${col}, NFC), E'\\r\\n?', E'\\n', 'g'), ${TRIM_SET})`;

const MESSAGE_CONTEXT = `(
    WITH RECURSIVE chain AS (
      SELECT x.id, x."parentId", x.role, x.text, 0 AS depth FROM "Message" x WHERE x.id = m."parentId"
      UNION ALL
      SELECT x.id, x."parentId", x.role, x.text, chain.depth + 1 FROM "Message" x JOIN chain ON x.id = chain."parentId"
    )
    SELECT json_agg(json_build_object('role', lower(chain.role::text), 'content', chain.text) ORDER BY chain.depth DESC) FROM chain)`;

export function demonstrationEditSql(sel: Selection): Sql {
  const p = new Params();
  const src = demonstrationSource(sel, p);
  return {
    text: `SELECT d.id, 'demonstration' AS source, d."userId" AS user_id, d."promptId" AS prompt_id, p.text AS prompt, NULL::json AS context,
        d.text AS chosen, d."suggestionText" AS rejected, d."suggestionCheckpointId" AS checkpoint_id, p.split::text AS split,
        d."guidelineVersion" AS guideline_version, d."createdAt" AS created_at
      ${src.from} AND d."suggestionText" IS NOT NULL AND ${canonicalSql('d.text')} <> ${canonicalSql('d."suggestionText"')} ORDER BY ${src.order}`,
    values: p.values,
  };
}

export function messageEditSql(sel: Selection): Sql {
  const p = new Params();
  const src = conversationSource(sel, p);
  return {
    text: `WITH convs AS (
        SELECT c.id, c."userId", c."promptId", COALESCE(p.text, '') AS prompt, COALESCE(p.split, 'TRAIN'::"Split")::text AS split,
               row_number() OVER (ORDER BY ${src.order}) AS ord
        ${src.from})
      SELECT m.id, 'message' AS source, convs."userId" AS user_id, convs."promptId" AS prompt_id, convs.prompt, ${MESSAGE_CONTEXT} AS context,
        m.text AS chosen, r.text AS rejected, r."authorCheckpointId" AS checkpoint_id, convs.split, NULL::int AS guideline_version, m."createdAt" AS created_at
      FROM convs JOIN "Message" m ON m."conversationId" = convs.id
      JOIN "Message" r ON r.id = m."editedFromId" AND r."isSuggestion"
      WHERE NOT m."isSuggestion" AND ${canonicalSql('m.text')} <> ${canonicalSql('r.text')}
      ORDER BY convs.ord, m."createdAt", m.id`,
    values: p.values,
  };
}

/** Every edit pair of the selection: demonstrations first, then dialogue turns. None when the
 *  filter names a round: edits are made while writing, in no round. */
export async function* editPairBatches(sel: Selection): AsyncGenerator<EditPairRow[]> {
  if (sel.filter.roundId && !sel.snapshotId) return;
  for await (const rows of cursorBatches<EditPairRow>(demonstrationEditSql(sel))) if (rows.length) yield rows;
  for await (const rows of cursorBatches<EditPairRow>(messageEditSql(sel))) if (rows.length) yield rows;
}

/** Whether the selection holds any edit pair (an export of only those is not empty). */
export async function hasEditPairs(sel: Selection): Promise<boolean> {
  if (sel.filter.roundId && !sel.snapshotId) return false;
  for (const sql of [demonstrationEditSql(sel), messageEditSql(sel)]) {
    const [row] = await query<{ n: number }>({ text: `SELECT EXISTS (${sql.text})::int AS n`, values: sql.values });
    if (row.n) return true;
  }
  return false;
}

/** The prompt as a chat: the dialogue so far, else the prompt as one user turn. */
export function editPrompt(r: Pick<EditPairRow, 'prompt' | 'context'>): ChatMessage[] {
  return r.context?.length ? r.context : [{ role: 'user', content: r.prompt }];
}
