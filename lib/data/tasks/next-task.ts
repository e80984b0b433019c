// "Next task": gives a labeler the best task they may take, as a lease.
//
// Rules (tested in next-task.test.ts):
//  - a labeler who already holds a live lease (in the asked project/kind) gets it back;
//  - otherwise, while an arena evaluation of the project is open (any project when none is asked),
//    its ARENA battles come first: the admin started it to get votes. Then the other kinds are
//    tried in a weighted random order from the project's task mix
//    (weight 0 = never), and within a kind: lowest `priority` value first (BullMQ's
//    convention: 0 is the default, negative jumps the queue, e.g. gold items), then oldest.
//    This is exactly the order of the index (projectId, status, kind, priority, createdAt),
//    so the scan stops at the first free row instead of sorting the whole open queue;
//  - a task is free while doneCount + activeCount < wanted (the overlap for rankings);
//  - gold honeypots (projects with goldShare > 0): when one is due (gold-due.ts), a gold set
//    the labeler has not had comes first, whatever its overlap or status; otherwise gold sets
//    are not served. Nothing in the lease or the task view says a task is gold;
//  - never a task this labeler already had (any status: unique(taskId, userId));
//  - never a ranking set whose context is a dialogue this labeler wrote;
//  - never tasks of archived projects.
// Concurrency: one statement per kind tried. It locks the chosen Task row with
// FOR UPDATE SKIP LOCKED (two labelers asking at once lock different rows, nobody waits),
// bumps activeCount and inserts the assignment, all in one atomic statement.
import { prisma, Prisma } from '../../db';
import { AppError } from '../errors';
import { newId } from '../../shared/ids';
import { kindOrder, TASK_KINDS, type MixKindName, type TaskKindName } from '../../shared/labeling';
import { reclaimIfDue } from './reclaim-expired-leases';
import { NOW } from './sql';
import { hotQuery } from './pg-pool';
import { goldDueProjects } from './gold-due';

export type Lease = {
  assignmentId: string;
  taskId: string;
  projectId: string;
  kind: TaskKindName;
  expiresAt: string;
  resumed: boolean;
};

type Mix = { archived: boolean; goldShare: number; weights: Record<MixKindName, number>; arenaOpen: boolean };
const mixCache = new Map<string, { at: number; mix: Mix }>();
const MIX_TTL_MS = 5_000;

async function projectMix(projectId: string): Promise<Mix> {
  const hit = mixCache.get(projectId);
  if (hit && Date.now() - hit.at < MIX_TTL_MS) return hit.mix;
  const p = await prisma.project.findUnique({
    where: { id: projectId },
    select: { archived: true, goldShare: true, mixDemonstration: true, mixDialogue: true, mixRanking: true, _count: { select: { arenaEvaluations: { where: { status: 'OPEN' } } } } },
  });
  if (!p) throw new AppError('NOT_FOUND', `No project with id ${projectId}.`);
  const mix = { archived: p.archived, goldShare: p.goldShare, weights: { DEMONSTRATION: p.mixDemonstration, DIALOGUE: p.mixDialogue, RANKING: p.mixRanking }, arenaOpen: p._count.arenaEvaluations > 0 };
  mixCache.set(projectId, { at: Date.now(), mix });
  return mix;
}

// Whether any project has an open arena evaluation (for "next task" without a project).
let anyArenaCache: { at: number; open: boolean } | null = null;
async function anyArenaOpen(): Promise<boolean> {
  if (anyArenaCache && Date.now() - anyArenaCache.at < MIX_TTL_MS) return anyArenaCache.open;
  const open = (await prisma.arenaEvaluation.count({ where: { status: 'OPEN', project: { archived: false } }, take: 1 })) > 0;
  anyArenaCache = { at: Date.now(), open };
  return open;
}

type Row = { assignmentId: string; taskId: string; projectId: string; kind: TaskKindName; expiresAt: Date; resumed: boolean };

async function leaseOne(userId: string, projectId: string | undefined, kind: TaskKindName | undefined, goldProjects: string[]): Promise<Row | null> {
  const inProject = projectId ? Prisma.sql`AND t."projectId" = ${projectId}` : Prisma.empty;
  const ofKind = kind ? Prisma.sql`AND t.kind = ${kind}::"TaskKind"` : Prisma.empty;
  const goldIn = goldProjects.length && (!kind || kind === 'RANKING') ? Prisma.sql`gs."projectId" = ANY(${goldProjects}::text[])` : Prisma.sql`false`;
  const assignmentId = newId();
  const rows = await hotQuery<Row>(Prisma.sql`
    WITH mine AS (
      SELECT a.id AS "assignmentId", a."taskId", t."projectId", t.kind, a."expiresAt", true AS resumed
      FROM "Assignment" a JOIN "Task" t ON t.id = a."taskId"
      WHERE a."userId" = ${userId} AND a.status = 'ACTIVE' AND a."expiresAt" > ${NOW} ${inProject} ${ofKind}
      ORDER BY a."leasedAt" DESC LIMIT 1
    ), gold AS (
      -- a gold honeypot, when one is due in its project (goldDueProjects): gold sets ignore the
      -- overlap and the task status (a set marked gold after it closed still reaches every
      -- labeler), and reach each labeler once (the assignment check)
      SELECT t.id, t."projectId", t.kind FROM "CompletionSet" gs JOIN "Task" t ON t."completionSetId" = gs.id
      WHERE NOT EXISTS (SELECT 1 FROM mine) AND ${goldIn}
        AND gs."goldTiers" IS NOT NULL AND t.kind = 'RANKING' AND t.status <> 'CANCELLED'
        AND NOT EXISTS (SELECT 1 FROM "Assignment" x WHERE x."taskId" = t.id AND x."userId" = ${userId})
        AND NOT EXISTS (SELECT 1 FROM "Conversation" c WHERE c.id = gs."conversationId" AND c."userId" = ${userId})
      ORDER BY t.priority, t."createdAt"
      LIMIT 1
      FOR UPDATE OF t SKIP LOCKED
    ), plain AS (
      SELECT t.id, t."projectId", t.kind FROM "Task" t
      WHERE NOT EXISTS (SELECT 1 FROM mine) AND NOT EXISTS (SELECT 1 FROM gold)
        AND t.status = 'OPEN' ${inProject} ${ofKind}
        AND t."doneCount" + t."activeCount" < t.wanted
        AND NOT EXISTS (SELECT 1 FROM "Assignment" x WHERE x."taskId" = t.id AND x."userId" = ${userId})
        AND NOT EXISTS (
          SELECT 1 FROM "CompletionSet" cs JOIN "Conversation" c ON c.id = cs."conversationId"
          WHERE cs.id = t."completionSetId" AND c."userId" = ${userId})
        AND EXISTS (SELECT 1 FROM "Project" p WHERE p.id = t."projectId" AND NOT p.archived)
        -- with honeypots on, gold sets are served only as honeypots, so their judgements never
        -- fill (or are counted as) the overlap of ordinary sets
        AND NOT EXISTS (
          SELECT 1 FROM "CompletionSet" cs JOIN "Project" p ON p.id = cs."projectId"
          WHERE cs.id = t."completionSetId" AND cs."goldTiers" IS NOT NULL AND p."goldShare" > 0)
      ORDER BY t.priority, t."createdAt"
      LIMIT 1
      FOR UPDATE OF t SKIP LOCKED
    ), pick AS (
      SELECT * FROM gold UNION ALL SELECT * FROM plain
    ), bump AS (
      UPDATE "Task" t SET "activeCount" = t."activeCount" + 1, "updatedAt" = ${NOW}
      FROM pick WHERE t.id = pick.id
      RETURNING t.id
    ), ins AS (
      INSERT INTO "Assignment" (id, "taskId", "userId", status, "leasedAt", "expiresAt", "createdAt", "updatedAt")
      SELECT ${assignmentId}, pick.id, ${userId}, 'ACTIVE', ${NOW}, ${NOW} + make_interval(mins => p."leaseMinutes"), ${NOW}, ${NOW}
      FROM pick JOIN "Project" p ON p.id = pick."projectId"
      RETURNING id, "taskId", "expiresAt"
    )
    SELECT "assignmentId", "taskId", "projectId", kind::text AS kind, "expiresAt", resumed FROM mine
    UNION ALL
    SELECT ins.id, ins."taskId", pick."projectId", pick.kind::text, ins."expiresAt", false FROM ins JOIN pick ON pick.id = ins."taskId"`);
  return rows[0] ?? null;
}

export async function nextTask(userId: string, opts: { projectId?: string; kind?: TaskKindName; random?: () => number } = {}): Promise<Lease | null> {
  await reclaimIfDue();
  let kinds: (TaskKindName | undefined)[];
  let goldPossible = true;
  if (opts.projectId) {
    const mix = await projectMix(opts.projectId);
    if (mix.archived) throw new AppError('GONE', 'This project is archived; it has no tasks.');
    kinds = opts.kind ? [opts.kind] : [...(mix.arenaOpen ? (['ARENA'] as const) : []), ...kindOrder(mix.weights, opts.random)];
    goldPossible = mix.goldShare > 0;
  } else {
    kinds = opts.kind ? [opts.kind] : [...((await anyArenaOpen()) ? (['ARENA'] as const) : []), ...kindOrder({ DEMONSTRATION: 1, DIALOGUE: 1, RANKING: 1 }, opts.random)];
  }
  let goldProjects: string[] | null = null;
  for (const kind of kinds) {
    if (kind === 'RANKING' && goldProjects === null) goldProjects = goldPossible ? await goldDueProjects(userId, opts.projectId) : [];
    const row = await leaseOne(userId, opts.projectId, kind, kind === 'RANKING' ? goldProjects! : []);
    if (row) return { ...row, kind: row.kind, expiresAt: new Date(row.expiresAt).toISOString() };
  }
  return null;
}

export { TASK_KINDS };
