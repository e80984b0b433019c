// The task kind a labeler chose on their task list ("Only rankings") travels in the task page's
// URL as ?kind=, so "Next task" (N) and the next task after a skip ask for the same kind.
import { TASK_KINDS, type TaskKindName } from '@/lib/shared/labeling';

export function parseKind(v: string | null | undefined): TaskKindName | null {
  return v && (TASK_KINDS as readonly string[]).includes(v) ? (v as TaskKindName) : null;
}

/** The kind carried by the current page's URL (client only). */
export function chosenKind(): TaskKindName | null {
  return typeof window === 'undefined' ? null : parseKind(new URLSearchParams(window.location.search).get('kind'));
}

export function taskHref(taskId: string, kind: TaskKindName | null): string {
  return `/label/tasks/${taskId}${kind ? `?kind=${kind}` : ''}`;
}
