// Labeler home: own counts per task kind, work in progress, recent work, guidelines per project,
// and "Next task". Keys: N next task, G guidelines, ? keys.
import type { Metadata } from 'next';
import { requirePageUser } from '@/lib/auth/current-user';
import { labelerHome } from '@/lib/data/tasks/labeler-home';
import { HomeClient } from './home-client';

export const metadata: Metadata = { title: 'Label' };
export const dynamic = 'force-dynamic';

export default async function LabelHome() {
  const user = await requirePageUser('LABELER');
  const home = await labelerHome(user.id);
  return <HomeClient home={home} name={user.name} />;
}
