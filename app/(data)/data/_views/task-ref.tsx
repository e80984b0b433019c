// A task in one line: kind, status, submissions done against wanted, live leases.
import type { TaskRef } from '@/lib/data/browse/item-common';
import { StatusBadge } from '../_components/badges';

const KIND: Record<TaskRef['kind'], string> = { DEMONSTRATION: 'Demonstration', DIALOGUE: 'Dialogue', RANKING: 'Ranking', ARENA: 'Arena vote' };

export function TaskLine({ task }: { task: TaskRef }) {
  return (
    <span className="row">
      <span>{KIND[task.kind]} task</span>
      <StatusBadge status={task.status} />
      <span className="muted small">
        {task.doneCount} of {task.wanted} done{task.activeCount ? `, ${task.activeCount} leased now` : ''} · <span className="mono">{task.id}</span>
      </span>
    </span>
  );
}
