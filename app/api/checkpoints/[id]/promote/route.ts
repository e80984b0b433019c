// POST {projectId?}: make a POLICY checkpoint the project's active policy (ADMIN), then queue
// sampling of the next ranking tasks from it. Refuses FAILED_EVAL and other projects' checkpoints.
import { z } from 'zod';
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { promoteAndSample } from '@/lib/data/checkpoints/promote-checkpoint';

const Body = z.object({ projectId: z.string().min(1).optional() }).strict();

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const admin = await requireApiUser(req, 'ADMIN');
  const { id } = await params;
  const body = await readJson(req, Body, { empty: {} });
  return { checkpoint: await promoteAndSample(id, { projectId: body.projectId, actorId: admin.id }) };
});
