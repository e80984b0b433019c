// The labeler's home page: their own submitted counts per task kind, leases in progress
// (including expired ones with a draft), recent work, and the projects they can work in, with
// how many tasks are open there and how many of those are arena votes (served first).
import { prisma } from '../../db';
import { TASK_KINDS, type TaskKindName } from '../../shared/labeling';
import { NOW } from './sql';

export type HomeItem = { taskId: string; kind: TaskKindName; projectName: string; snippet: string; status: string; at: string; hasDraft: boolean };
export type LabelerHome = {
  counts: Record<TaskKindName, number>;
  today: number;
  inProgress: HomeItem[];
  recent: HomeItem[];
  projects: { id: string; name: string; openTasks: number; openArena: number; guidelineVersion: number }[];
};

type Row = { taskId: string; kind: TaskKindName; projectName: string; snippet: string | null; status: string; at: Date; hasDraft: boolean };

export async function labelerHome(userId: string): Promise<LabelerHome> {
  const [counts, today, rows, projects] = await Promise.all([
    prisma.$queryRaw<{ kind: TaskKindName; n: number }[]>`
      SELECT t.kind::text AS kind, count(*)::int AS n FROM "Assignment" a JOIN "Task" t ON t.id = a."taskId"
      WHERE a."userId" = ${userId} AND a.status = 'SUBMITTED' GROUP BY t.kind`,
    prisma.assignment.count({ where: { userId, status: 'SUBMITTED', submittedAt: { gte: new Date(new Date().toISOString().slice(0, 10)) } } }),
    prisma.$queryRaw<Row[]>`
      (SELECT a."taskId", t.kind::text AS kind, p.name AS "projectName", left(pr.text, 140) AS snippet,
              CASE WHEN a.status = 'ACTIVE' AND a."expiresAt" <= ${NOW} THEN 'EXPIRED' ELSE a.status::text END AS status,
              a."updatedAt" AS at, (a.draft IS NOT NULL) AS "hasDraft"
       FROM "Assignment" a JOIN "Task" t ON t.id = a."taskId" JOIN "Project" p ON p.id = t."projectId" LEFT JOIN "Prompt" pr ON pr.id = t."promptId"
       WHERE a."userId" = ${userId} AND (a.status = 'ACTIVE' OR (a.status = 'EXPIRED' AND a.draft IS NOT NULL))
       ORDER BY a."updatedAt" DESC LIMIT 20)
      UNION ALL
      (SELECT a."taskId", t.kind::text, p.name, left(pr.text, 140), a.status::text, COALESCE(a."submittedAt", a."updatedAt"), (a.draft IS NOT NULL)
       FROM "Assignment" a JOIN "Task" t ON t.id = a."taskId" JOIN "Project" p ON p.id = t."projectId" LEFT JOIN "Prompt" pr ON pr.id = t."promptId"
       WHERE a."userId" = ${userId} AND a.status IN ('SUBMITTED', 'SKIPPED')
       ORDER BY COALESCE(a."submittedAt", a."updatedAt") DESC LIMIT 10)`,
    prisma.$queryRaw<{ id: string; name: string; openTasks: number; openArena: number; guidelineVersion: number }[]>`
      SELECT p.id, p.name,
             (SELECT count(*)::int FROM "Task" t WHERE t."projectId" = p.id AND t.status = 'OPEN' AND t."doneCount" + t."activeCount" < t.wanted) AS "openTasks",
             (SELECT count(*)::int FROM "Task" t WHERE t."projectId" = p.id AND t.kind = 'ARENA' AND t.status = 'OPEN' AND t."doneCount" + t."activeCount" < t.wanted) AS "openArena",
             COALESCE((SELECT max(g.version) FROM "GuidelineVersion" g WHERE g."projectId" = p.id), 0)::int AS "guidelineVersion"
      FROM "Project" p WHERE NOT p.archived ORDER BY p."createdAt" DESC`,
  ]);
  const byKind = Object.fromEntries(TASK_KINDS.map((k) => [k, 0])) as Record<TaskKindName, number>;
  for (const c of counts) byKind[c.kind] = c.n;
  const item = (r: Row): HomeItem => ({ ...r, snippet: r.snippet ?? '', at: new Date(r.at).toISOString() });
  return {
    counts: byKind,
    today,
    inProgress: rows.filter((r) => r.status === 'ACTIVE' || r.status === 'EXPIRED').map(item),
    recent: rows.filter((r) => r.status === 'SUBMITTED' || r.status === 'SKIPPED').map(item),
    projects,
  };
}
