// Turns a filter into a Selection: the project or frozen snapshot to read, plus the labelers
// that pass the quality thresholds. Then builds the FROM/WHERE/ORDER BY of every source
// query (judgements, demonstrations, dialogues, prompts) for that selection, so snapshots,
// streaming exports and jobs select exactly the same rows.
import { AppError } from '../errors';
import { labelerQuality } from '../quality/labeler-quality';
import { normalizeFilter, type ExportFilter } from './filter';
import { query, type Params } from './cursor';

export type Selection = {
  filter: ExportFilter;
  projectId: string | null;
  snapshotId: string | null;
  /** Labelers allowed by labelerIds ∩ quality thresholds; null = everyone. */
  userIds: string[] | null;
};

export async function resolveSelection(input: ExportFilter): Promise<Selection> {
  const filter = normalizeFilter(input);
  if (filter.snapshotId) {
    const [snap] = await query<{ id: string; projectId: string | null }>({
      text: 'SELECT id, "projectId" FROM "DatasetSnapshot" WHERE id = $1',
      values: [filter.snapshotId],
    });
    if (!snap) throw new AppError('NOT_FOUND', `Snapshot "${filter.snapshotId}" does not exist.`);
    if (filter.projectId && snap.projectId !== filter.projectId) {
      throw new AppError('INVALID_INPUT', `Snapshot "${filter.snapshotId}" belongs to another project.`);
    }
    return { filter, projectId: snap.projectId, snapshotId: snap.id, userIds: null };
  }
  const projectId = filter.projectId!;
  const [project] = await query<{ id: string }>({ text: 'SELECT id FROM "Project" WHERE id = $1', values: [projectId] });
  if (!project) throw new AppError('NOT_FOUND', `Project "${projectId}" does not exist.`);
  if (filter.roundId) {
    const [round] = await query<{ id: string }>({
      text: 'SELECT id FROM "TrainingRound" WHERE id = $1 AND "projectId" = $2',
      values: [filter.roundId, projectId],
    });
    if (!round) throw new AppError('NOT_FOUND', `Round "${filter.roundId}" is not a round of this project.`);
  }
  let userIds: string[] | null = filter.labelerIds ?? null;
  if (filter.minAgreement !== undefined || filter.minGoldAgreement !== undefined || filter.minGoldAccuracy !== undefined) {
    const { labelers } = await labelerQuality(projectId);
    const passing = labelers
      .filter((l) => filter.minAgreement === undefined || (l.looAgreement !== null && l.looAgreement >= filter.minAgreement))
      .filter((l) => filter.minGoldAgreement === undefined || (l.goldAgreement !== null && l.goldAgreement >= filter.minGoldAgreement))
      .filter((l) => filter.minGoldAccuracy === undefined || (l.goldAccuracy !== null && l.goldAccuracy >= filter.minGoldAccuracy))
      .map((l) => l.userId);
    userIds = userIds ? userIds.filter((u) => passing.includes(u)) : passing;
    if (!userIds.length) {
      throw new AppError('NOT_FOUND', 'No labeler of this project meets the agreement thresholds, so the selection is empty. Lower minAgreement / minGoldAgreement / minGoldAccuracy or check /research/quality.');
    }
  }
  return { filter, projectId, snapshotId: null, userIds };
}

/** `to` is inclusive; a bare date (2026-01-31) covers that whole UTC day. */
function toBound(to: string): { op: '<' | '<='; at: Date } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(to)) return { op: '<', at: new Date(Date.parse(to) + 86_400_000) };
  return { op: '<=', at: new Date(to) };
}

export type SourceSql = { from: string; order: string };

function common(sel: Selection, p: Params, alias: { created: string; user: string; split: string; round?: string }): string[] {
  const f = sel.filter;
  const w: string[] = [];
  if (f.from) w.push(`${alias.created} >= ${p.add(new Date(f.from))}`);
  if (f.to) {
    const b = toBound(f.to);
    w.push(`${alias.created} ${b.op} ${p.add(b.at)}`);
  }
  if (f.split) w.push(`${alias.split} = ${p.add(f.split)}::"Split"`);
  if (sel.userIds) w.push(`${alias.user} = ANY(${p.add(sel.userIds)}::text[])`);
  if (f.roundId && alias.round) w.push(`${alias.round} = ${p.add(f.roundId)}`);
  return w;
}

/**
 * Judgements with their set and prompt (aliases j, s, p). order 'time': by submission
 * (snapshot: by ordinal); 'set': grouped by set, sets in creation order.
 */
export function judgementSource(sel: Selection, p: Params, order: 'time' | 'set' = 'time'): SourceSql {
  const joins = 'FROM "Judgement" j JOIN "CompletionSet" s ON s.id = j."setId" JOIN "Prompt" p ON p.id = s."promptId"';
  const bySet = 's."createdAt", s.id, j."createdAt", j.id';
  if (sel.snapshotId) {
    return {
      from: `FROM "DatasetSnapshotItem" si JOIN "Judgement" j ON j.id = si."itemId" JOIN "CompletionSet" s ON s.id = j."setId" JOIN "Prompt" p ON p.id = s."promptId"
        WHERE si."snapshotId" = ${p.add(sel.snapshotId)} AND si."itemType" = 'judgement'`,
      order: order === 'time' ? 'si.ordinal' : bySet,
    };
  }
  const w = [`j."projectId" = ${p.add(sel.projectId)}`, ...common(sel, p, { created: 'j."createdAt"', user: 'j."userId"', split: 'p.split', round: 'j."roundId"' })];
  return { from: `${joins} WHERE ${w.join(' AND ')}`, order: order === 'time' ? 'j."createdAt", j.id' : bySet };
}

/** Demonstrations with their prompt (aliases d, p). Not round-scoped. */
export function demonstrationSource(sel: Selection, p: Params): SourceSql {
  if (sel.snapshotId) {
    return {
      from: `FROM "DatasetSnapshotItem" si JOIN "Demonstration" d ON d.id = si."itemId" JOIN "Prompt" p ON p.id = d."promptId"
        WHERE si."snapshotId" = ${p.add(sel.snapshotId)} AND si."itemType" = 'demonstration'`,
      order: 'si.ordinal',
    };
  }
  const w = [`d."projectId" = ${p.add(sel.projectId)}`, ...common(sel, p, { created: 'd."createdAt"', user: 'd."userId"', split: 'p.split' })];
  return { from: `FROM "Demonstration" d JOIN "Prompt" p ON p.id = d."promptId" WHERE ${w.join(' AND ')}`, order: 'd."createdAt", d.id' };
}

/** Submitted dialogues (alias c; p is the prompt, if any — a dialogue without one counts as TRAIN). */
export function conversationSource(sel: Selection, p: Params): SourceSql {
  if (sel.snapshotId) {
    return {
      from: `FROM "DatasetSnapshotItem" si JOIN "Conversation" c ON c.id = si."itemId" LEFT JOIN "Prompt" p ON p.id = c."promptId"
        WHERE si."snapshotId" = ${p.add(sel.snapshotId)} AND si."itemType" = 'conversation'`,
      order: 'si.ordinal',
    };
  }
  const w = [
    `c."projectId" = ${p.add(sel.projectId)}`,
    'c.submitted',
    ...common(sel, p, { created: 'c."createdAt"', user: 'c."userId"', split: `COALESCE(p.split, 'TRAIN'::"Split")` }),
  ];
  return { from: `FROM "Conversation" c LEFT JOIN "Prompt" p ON p.id = c."promptId" WHERE ${w.join(' AND ')}`, order: 'c."createdAt", c.id' };
}
