// The admin project page's line on comparisons made inside conversations: sets made, dialogues
// they came from, and dialogues waiting (with the reason, e.g. no active policy).
import { contextOverview } from '@/lib/data/sampling/context-overview';

export async function ContextSets({ projectId }: { projectId: string }) {
  const o = await contextOverview(projectId);
  return (
    <p className="muted" data-testid="context-sets">
      {o.sets} ranking set{o.sets === 1 ? '' : 's'} made inside conversations (from {o.dialogues} dialogue{o.dialogues === 1 ? '' : 's'}; {Math.round(o.contextRate * 100)}% of model-written
      turns are picked).
      {o.waiting > 0 && ` ${o.waiting} submitted dialogue${o.waiting === 1 ? '' : 's'} not sampled yet.`}
      {o.reason && <strong> {o.reason}</strong>}
    </p>
  );
}
