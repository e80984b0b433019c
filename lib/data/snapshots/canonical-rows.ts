// The canonical rows a snapshot's sha256 is computed over, one per item in ordinal order:
// judgements (with prompt and completion texts), then demonstrations, then dialogues (with
// their messages). Each row is canonical JSON (lib/data/exports/canonical.ts) followed by
// "\n". The rows carry content only — never the snapshot's own id or time — so the same
// filter over the same data gives the same hash, and any edit to selected content changes it.
import type pg from 'pg';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../exports/canonical';
import { cursorBatches } from '../exports/cursor';

const ROWS = `
SELECT si.ordinal, si."itemType" AS type, CASE si."itemType"
  WHEN 'judgement' THEN (
    SELECT json_build_object('type', 'judgement', 'id', j.id, 'set_id', j."setId", 'prompt_id', s."promptId", 'prompt', p.text,
      'completions', (SELECT json_agg(c.text ORDER BY c.index) FROM "Completion" c WHERE c."setId" = s.id),
      'context_message_id', s."contextMessageId", 'labeler_id', j."userId", 'tiers', j.tiers, 'all_bad', j."allBad", 'flags', j.flags,
      'likert', j.likert, 'comment', j.comment, 'display_order', j."displayOrder", 'time_ms', j."timeMs",
      'guideline_version', j."guidelineVersion", 'round_id', j."roundId", 'checkpoint_id', s."checkpointId",
      'gold_tiers', s."goldTiers", 'created_at', j."createdAt")
    FROM "Judgement" j JOIN "CompletionSet" s ON s.id = j."setId" JOIN "Prompt" p ON p.id = s."promptId" WHERE j.id = si."itemId")
  WHEN 'demonstration' THEN (
    SELECT json_build_object('type', 'demonstration', 'id', d.id, 'prompt_id', d."promptId", 'prompt', p.text, 'text', d.text,
      'labeler_id', d."userId", 'guideline_version', d."guidelineVersion", 'time_ms', d."timeMs", 'created_at', d."createdAt")
    FROM "Demonstration" d JOIN "Prompt" p ON p.id = d."promptId" WHERE d.id = si."itemId")
  ELSE (
    SELECT json_build_object('type', 'conversation', 'id', c.id, 'prompt_id', c."promptId", 'labeler_id', c."userId",
      'guideline_version', c."guidelineVersion", 'created_at', c."createdAt",
      'messages', (SELECT json_agg(json_build_object('id', m.id, 'parent_id', m."parentId", 'role', m.role, 'text', m.text,
          'is_suggestion', m."isSuggestion", 'edited_from_id', m."editedFromId", 'author_checkpoint_id', m."authorCheckpointId")
        ORDER BY m."createdAt", m.id) FROM "Message" m WHERE m."conversationId" = c.id))
    FROM "Conversation" c WHERE c.id = si."itemId")
  END AS row
FROM "DatasetSnapshotItem" si WHERE si."snapshotId" = $1 ORDER BY si.ordinal`;

/** sha256 over the snapshot's canonical rows, streamed. */
export async function hashSnapshotRows(snapshotId: string, client?: pg.PoolClient): Promise<{ sha256: string; rows: number }> {
  const h = createHash('sha256');
  let rows = 0;
  for await (const batch of cursorBatches<{ row: unknown }>({ text: ROWS, values: [snapshotId] }, { client, batch: 1000 })) {
    for (const r of batch) h.update(canonicalJson(r.row) + '\n');
    rows += batch.length;
  }
  return { sha256: h.digest('hex'), rows };
}
