// Admin: one arena evaluation — its status and the generation of the replies, vote progress, the
// Bradley–Terry leaderboard with 95% intervals, win rates per pair with ties and both-bad, votes
// per labeler, the Chatbot Arena export and the close button.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/lib/auth/current-user';
import { isAppError } from '@/lib/data/errors';
import { getArenaResults, type ArenaResults } from '@/lib/data/arena/results';
import { ArenaLive } from './arena-live';

export const metadata: Metadata = { title: 'Arena evaluation' };
export const dynamic = 'force-dynamic';

export default async function ArenaEvaluationPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('ADMIN');
  const { id } = await params;
  let results: ArenaResults;
  try {
    results = await getArenaResults(id);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  return (
    <div className="stack-lg">
      <p className="small">
        <Link href="/admin/arena">← All evaluations</Link>
      </p>
      <ArenaLive initial={results} />
    </div>
  );
}
