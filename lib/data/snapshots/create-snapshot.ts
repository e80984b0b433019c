// Use case: freeze a selection as a DatasetSnapshot. In one transaction: the snapshot row,
// its items (judgements, then demonstrations, then dialogues, each by creation time and id;
// INSERT … SELECT, so no row passes through this process), the sha256 over the canonical
// rows, and the manifest (filters, counts, hash, checkpoint ids, guideline versions).
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors';
import { checkOutClient, exportPool, Params } from '../exports/cursor';
import { ExportFilter } from '../exports/filter';
import { conversationSource, demonstrationSource, judgementSource, resolveSelection } from '../exports/selection';
import { hashSnapshotRows } from './canonical-rows';
import { recordAuditSql } from '../audit/record-audit-sql';

export type SnapshotKind = 'SFT' | 'RM' | 'PPO' | 'EXPORT' | 'ROUND';

export type SnapshotManifest = {
  snapshot_id: string;
  kind: SnapshotKind;
  project_id: string;
  filter: ExportFilter;
  counts: { items: number; judgements: number; demonstrations: number; conversations: number; sets: number; prompts: number; labelers: number };
  sha256: string;
  hash: { algorithm: 'sha256'; over: string };
  checkpoint_ids: string[];
  round_ids: string[];
  guideline_versions: number[];
  created_at: string;
};

export type SnapshotSummary = { id: string; sha256: string; rowCount: number; manifest: SnapshotManifest };

const HASH_OVER = 'canonical JSON rows (keys sorted, no whitespace), one per item in ordinal order, each followed by a newline';

export async function createSnapshot(input: { filter: unknown; kind?: SnapshotKind; userId?: string | null }): Promise<SnapshotSummary> {
  const filter = ExportFilter.parse(input.filter);
  if (filter.snapshotId) throw new AppError('INVALID_INPUT', 'snapshotId: a snapshot is made from filters, not from another snapshot.');
  const sel = await resolveSelection(filter);
  const kind = input.kind ?? 'EXPORT';
  const id = randomUUID();
  const { client, release } = await checkOutClient(exportPool());
  let unusable = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const createdAt = new Date();
    await client.query(
      `INSERT INTO "DatasetSnapshot" (id, "projectId", kind, filter, "rowCount", sha256, manifest, "createdById", "createdAt")
       VALUES ($1, $2, $3::"SnapshotKind", $4, 0, '', '{}', $5, $6)`,
      [id, sel.projectId, kind, JSON.stringify(sel.filter), input.userId ?? null, createdAt],
    );
    let offset = 0;
    const sources: [string, (p: Params) => { from: string; order: string }, string][] = [
      ['judgement', (p) => judgementSource(sel, p), 'j'],
      ['demonstration', (p) => demonstrationSource(sel, p), 'd'],
      ['conversation', (p) => conversationSource(sel, p), 'c'],
    ];
    for (const [type, build, alias] of sources) {
      const p = new Params();
      const snap = p.add(id);
      const off = p.add(offset);
      const src = build(p);
      const res = await client.query(
        `INSERT INTO "DatasetSnapshotItem" ("snapshotId", ordinal, "itemType", "itemId")
         SELECT ${snap}, ${off}::int + (row_number() OVER (ORDER BY ${src.order}))::int - 1, '${type}', ${alias}.id ${src.from}`,
        p.values,
      );
      offset += res.rowCount ?? 0;
    }
    if (offset === 0) throw new AppError('NOT_FOUND', 'Nothing to snapshot: no judgements, demonstrations or dialogues match this filter.');
    const { sha256 } = await hashSnapshotRows(id, client);
    const { rows: [counts] } = await client.query(
      `SELECT
         count(*) FILTER (WHERE si."itemType" = 'judgement')::int AS judgements,
         count(*) FILTER (WHERE si."itemType" = 'demonstration')::int AS demonstrations,
         count(*) FILTER (WHERE si."itemType" = 'conversation')::int AS conversations,
         count(DISTINCT j."setId")::int AS sets,
         count(DISTINCT COALESCE(s."promptId", d."promptId", c."promptId"))::int AS prompts,
         count(DISTINCT COALESCE(j."userId", d."userId", c."userId"))::int AS labelers,
         COALESCE(array_agg(DISTINCT s."checkpointId") FILTER (WHERE s."checkpointId" IS NOT NULL), '{}') AS checkpoint_ids,
         COALESCE(array_agg(DISTINCT j."roundId") FILTER (WHERE j."roundId" IS NOT NULL), '{}') AS round_ids,
         COALESCE(array_agg(DISTINCT COALESCE(j."guidelineVersion", d."guidelineVersion", c."guidelineVersion")), '{}') AS guideline_versions
       FROM "DatasetSnapshotItem" si
       LEFT JOIN "Judgement" j ON si."itemType" = 'judgement' AND j.id = si."itemId"
       LEFT JOIN "CompletionSet" s ON s.id = j."setId"
       LEFT JOIN "Demonstration" d ON si."itemType" = 'demonstration' AND d.id = si."itemId"
       LEFT JOIN "Conversation" c ON si."itemType" = 'conversation' AND c.id = si."itemId"
       WHERE si."snapshotId" = $1`,
      [id],
    );
    const manifest: SnapshotManifest = {
      snapshot_id: id,
      kind,
      project_id: sel.projectId!,
      filter: sel.filter,
      counts: {
        items: offset,
        judgements: counts.judgements,
        demonstrations: counts.demonstrations,
        conversations: counts.conversations,
        sets: counts.sets,
        prompts: counts.prompts,
        labelers: counts.labelers,
      },
      sha256,
      hash: { algorithm: 'sha256', over: HASH_OVER },
      checkpoint_ids: [...counts.checkpoint_ids].sort(),
      round_ids: [...counts.round_ids].sort(),
      guideline_versions: [...counts.guideline_versions].filter((v: number | null) => v !== null).sort((a: number, b: number) => a - b),
      created_at: createdAt.toISOString(),
    };
    await client.query('UPDATE "DatasetSnapshot" SET "rowCount" = $2, sha256 = $3, manifest = $4 WHERE id = $1', [id, offset, sha256, JSON.stringify(manifest)]);
    await recordAuditSql(client, { actorId: input.userId ?? null, action: 'snapshot.create', projectId: sel.projectId, targetType: 'DatasetSnapshot', targetId: id, data: { kind, rowCount: offset, sha256 } });
    await client.query('COMMIT');
    return { id, sha256, rowCount: offset, manifest };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => (unusable = true));
    throw err;
  } finally {
    release(unusable);
  }
}
