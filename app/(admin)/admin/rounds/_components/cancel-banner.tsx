// What a cancel did, from the round's state (never from the click): while the running stage
// winds down it says so; once the round is cancelled it says that, and where it stopped.
import type { RoundView } from '@/lib/data/rounds/get-round';
import { formatDateTime } from '@/app/_components/format';

const STAGE_NAME: Record<string, string> = { PRETRAIN: 'Base pretraining', SFT: 'SFT', RM: 'The reward model', PPO: 'PPO', EVALUATE: 'Evaluation', PUBLISH: 'Publishing' };
const nameOf = (stage: string) => STAGE_NAME[stage] ?? stage;

export function CancelBanner({ round }: { round: RoundView }) {
  if (round.status === 'CANCELLED') {
    const stopped = round.jobs.find((j) => j.status === 'CANCELLED' && j.startedAt);
    const where = stopped
      ? `${nameOf(stopped.stage)} stopped at step ${stopped.step}${stopped.resumeUri ? ' and kept its last checkpoint' : ''}; the stages after it did not run.`
      : 'No stage had started; none will run.';
    return (
      <div className="alert alert-warning" role="status" data-testid="round-cancelled">
        Round {round.number} was cancelled{round.finishedAt ? ` on ${formatDateTime(round.finishedAt)}` : ''}. {where}
      </div>
    );
  }
  const live = round.status === 'QUEUED' || round.status === 'RUNNING';
  if (live && round.jobs.some((j) => j.cancelRequested)) {
    const running = round.jobs.find((j) => j.status === 'RUNNING');
    return (
      <div className="alert alert-warning" role="status" data-testid="round-cancelling">
        Cancelling: {running ? `${nameOf(running.stage)} stops at its next step and keeps its last checkpoint.` : 'the round stops before its next stage.'}
      </div>
    );
  }
  return null;
}
