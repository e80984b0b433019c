// GET: what a launch needs — projects with data counts, start checkpoints, presets, and every
// stage setting with its default (the ML core's schemas).
import { route } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { launchOptions } from '@/lib/data/rounds/launch-options';

export const GET = route(async (req) => {
  await requireApiUser(req, 'ADMIN');
  return launchOptions();
});
