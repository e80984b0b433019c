// GET ?projectId=&kind=: checkpoints with lineage and metrics (ADMIN, RESEARCHER).
import { queryEnum, route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { listCheckpoints } from '@/lib/data/checkpoints/list-checkpoints';

// The CheckpointKind values of prisma/schema.prisma (app/ may not import the Prisma client).
const CHECKPOINT_KINDS = ['BASE', 'SFT', 'RM', 'POLICY'] as const;

export const GET = route(async (req) => {
  await requireApiUser(req, 'ADMIN', 'RESEARCHER');
  const q = new URL(req.url).searchParams;
  return { checkpoints: await listCheckpoints({ projectId: q.get('projectId') ?? undefined, kind: queryEnum(q, 'kind', CHECKPOINT_KINDS) }) };
});
