'use server';
// Server action of the quality page: an admin excludes a labeler's judgements from the project's
// next round snapshots, or takes that back. Plain forms, so the buttons work without JavaScript.
import { revalidatePath } from 'next/cache';
import { getCurrentUser } from '@/lib/auth/current-user';
import { AppError } from '@/lib/data/errors';
import { excludeLabeler, includeLabeler } from '@/lib/data/quality/labeler-exclusions';

export async function setExclusionAction(form: FormData): Promise<void> {
  const user = await getCurrentUser();
  if (!user || user.role !== 'ADMIN') throw new AppError('FORBIDDEN', 'Only admins can exclude labelers. Sign in again as an admin.');
  const projectId = String(form.get('projectId') ?? '');
  const userId = String(form.get('userId') ?? '');
  if (form.get('exclude') === 'true') await excludeLabeler({ projectId, userId, actorId: user.id });
  else await includeLabeler({ projectId, userId, actorId: user.id });
  revalidatePath('/research/quality');
}
