// One held task: the page for its kind, with the project's guidelines one key away.
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { isAppError } from '@/lib/data/errors';
import { getTaskView, type TaskView } from '@/lib/data/tasks/get-task-view';
import { getGuidelines } from '@/lib/data/projects/get-guidelines';
import { DemonstrationTask } from '../../../_components/demonstration';
import { DialogueTask } from '../../../_components/dialogue';
import { RankingTask } from '../../../_components/ranking';
import { ArenaVoteTask } from '../../../_components/arena-vote';

export const metadata: Metadata = { title: 'Task' };
export const dynamic = 'force-dynamic';

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser('LABELER');
  const { id } = await params;
  let view: TaskView;
  try {
    view = await getTaskView(id, user.id);
  } catch (e) {
    if (isAppError(e) && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) {
      return (
        <div className="stack">
          <h1>{e.code === 'NOT_FOUND' ? 'No such task' : 'Not your task'}</h1>
          <p className="alert alert-error" role="alert">
            {e.message}
          </p>
          <Link href="/label" className="btn btn-primary">
            Back to my tasks
          </Link>
        </div>
      );
    }
    throw e;
  }
  const g = await getGuidelines(view.projectId).catch(() => ({ version: 0, body: '' }));
  const guidelines = { version: g.version, body: g.body };
  const title = view.kind === 'DEMONSTRATION' ? 'Write the ideal answer' : view.kind === 'DIALOGUE' ? 'Write a dialogue' : view.kind === 'ARENA' ? 'Which reply is better?' : 'Rank the completions';
  return (
    <div className="stack">
      <h1>{title}</h1>
      {view.kind === 'DEMONSTRATION' && <DemonstrationTask view={view} guidelines={guidelines} />}
      {view.kind === 'DIALOGUE' && <DialogueTask view={view} guidelines={guidelines} />}
      {view.kind === 'RANKING' && <RankingTask view={view} guidelines={guidelines} />}
      {view.kind === 'ARENA' && view.arena && <ArenaVoteTask view={view} guidelines={guidelines} />}
    </div>
  );
}
