// Admin: one round, live — each stage's progress bar and ETA, charts of loss, RM accuracy,
// reward, KL and entropy, stage logs, the evaluation with samples side by side, cancel, and
// promotion of the policy it published.
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { getRound } from '@/lib/data/rounds/get-round';
import { RoundLive } from './round-live';
import { roundHumanEvaluation } from '@/lib/data/arena/round-win-rate';
import { HumanEvaluation } from './human-evaluation';

export const metadata: Metadata = { title: 'Training round' };
export const dynamic = 'force-dynamic';

export default async function RoundPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('ADMIN');
  const { id } = await params;
  const [round, human] = await Promise.all([getRound(id), roundHumanEvaluation(id)]);
  return (
    <div className="stack-lg">
      <p className="small">
        <Link href="/admin/rounds">← All rounds</Link>
      </p>
      <RoundLive initial={round} />
      <HumanEvaluation projectId={round.projectId} roundId={round.id} initial={human} />
    </div>
  );
}
