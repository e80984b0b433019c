// The task-mix rule, applied when prompts enter a project:
//   every new prompt gets one DEMONSTRATION task when mixDemonstration > 0 and one DIALOGUE
//   task when mixDialogue > 0 (each wanted = 1: one labeler writes it);
//   RANKING tasks come from completion sets (imported or sampled), wanted = the overlap.
// The weights themselves steer "Next task" (lib/data/tasks/next-task.ts): the kinds are tried
// in a weighted random order, so over time a labeler's work follows the mix among the kinds
// that still have work; weight 0 switches a kind off entirely.
import { newId } from '../../shared/ids';

export type MixWeights = { mixDemonstration: number; mixDialogue: number; mixRanking: number };
export type NewTaskRow = { id: string; projectId: string; kind: 'DEMONSTRATION' | 'DIALOGUE'; promptId: string; wanted: number };

export function tasksForNewPrompts(projectId: string, promptIds: string[], mix: MixWeights): NewTaskRow[] {
  const rows: NewTaskRow[] = [];
  for (const promptId of promptIds) {
    if (mix.mixDemonstration > 0) rows.push({ id: newId(), projectId, kind: 'DEMONSTRATION', promptId, wanted: 1 });
    if (mix.mixDialogue > 0) rows.push({ id: newId(), projectId, kind: 'DIALOGUE', promptId, wanted: 1 });
  }
  return rows;
}
