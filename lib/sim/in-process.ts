// Simulated labelers without a web server: the same use cases the JSON API routes call
// (next task, task view, submit, skip), for integration tests against Postgres alone.
import { createUser } from '../data/users/create-user';
import { nextTask } from '../data/tasks/next-task';
import { getTaskView } from '../data/tasks/get-task-view';
import { submitTask } from '../data/submissions/submit-task';
import { skipTask } from '../data/tasks/skip-task';
import { newIdempotencyKey } from '../shared/ids';
import type { LabelerSession } from './labelers';

export async function createLabelersInProcess(n: number, tag = 'sim'): Promise<{ email: string; password: string; id: string }[]> {
  const stamp = Date.now().toString(36);
  const out = [];
  for (let i = 0; i < n; i++) {
    const email = `${tag}-${i + 1}-${stamp}@sim.hone.test`;
    const password = `sim-password-${stamp}-${i}`;
    const u = await createUser({ email, name: `Simulated labeler ${i + 1}`, password, role: 'LABELER' }, { id: null });
    out.push({ email, password, id: u.id });
  }
  return out;
}

export function inProcessSession(userId: string): LabelerSession {
  return {
    next: async (projectId) => {
      const l = await nextTask(userId, { projectId });
      return l ? { taskId: l.taskId, kind: l.kind } : null;
    },
    view: async (taskId) => {
      const v = await getTaskView(taskId, userId);
      return { kind: v.kind, prompt: v.prompt, ranking: v.ranking };
    },
    submit: async (taskId, body) => void (await submitTask(taskId, userId, body, newIdempotencyKey())),
    skip: async (taskId, reason) => void (await skipTask(taskId, userId, reason)),
  };
}
