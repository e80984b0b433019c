// Which projects owe a labeler a gold honeypot now: goldShare > 0, not archived, and one more
// gold ranking would keep the labeler's gold share within goldShare — (gold + 1) ≤ goldShare ×
// (rankings + 1), over their submitted rankings in the project (goldShare 0.05: the 20th, 40th, …
// ranking). Asked once per "Next task" before the lease statement, so the statement looks for
// gold sets only when one is due (most calls skip that search entirely).
import { Prisma } from '../../db';
import { hotQuery } from './pg-pool';

export async function goldDueProjects(userId: string, projectId: string | undefined): Promise<string[]> {
  const inProject = projectId ? Prisma.sql`AND p.id = ${projectId}` : Prisma.empty;
  // the labeler's own submitted rankings first (index Assignment(userId, status), then each task by
  // its key), grouped per project; filtering tasks by project here instead lets the planner walk
  // the project's whole task index once per assignment
  const rows = await hotQuery<{ id: string }>(Prisma.sql`
    WITH done AS MATERIALIZED (
      SELECT t."projectId", count(*) AS n, count(s."goldTiers") AS g
      FROM "Assignment" a JOIN "Task" t ON t.id = a."taskId" LEFT JOIN "CompletionSet" s ON s.id = t."completionSetId"
      WHERE a."userId" = ${userId} AND a.status = 'SUBMITTED' AND t.kind = 'RANKING'
      GROUP BY t."projectId"
    )
    SELECT p.id FROM "Project" p LEFT JOIN done d ON d."projectId" = p.id
    WHERE p."goldShare" > 0 AND NOT p.archived ${inProject}
      AND COALESCE(d.g, 0) + 1 <= p."goldShare" * (COALESCE(d.n, 0) + 1) + 1e-9`);
  return rows.map((r) => r.id);
}
