// Clients labeling through the HTTP API as people do: lease the next ranking task, rank it,
// submit with an Idempotency-Key. A submit that gets no answer or a 503 is sent again with the
// same key (what a careful client does), so an answer that was lost cannot become a duplicate.
// Every 2xx answer is an acknowledged submission, checked against Postgres afterwards.
import { randomUUID } from 'node:crypto';
import type { Api } from './http';
import { sleep } from './ports';

export type Acked = { submissionId: string; taskId: string; userId: string };

export type LabelingRun = { stop(): Promise<Acked[]>; acked: Acked[] };

const RETRY_FOR_MS = 60_000;

export function startLabelers(api: Api, projectId: string, labelers: { id: string; token: string }[]): LabelingRun {
  const acked: Acked[] = [];
  let stopping = false;
  const loops = labelers.map(async (l) => {
    await sleep(Math.random() * 500);
    while (!stopping) {
      const next = await api.post<{ task: { taskId: string } | null }>('/api/tasks/next', { projectId, kind: 'RANKING' }, l.token);
      if (next.status !== 200 || !next.data?.task) {
        await sleep(300);
        continue;
      }
      const taskId = next.data.task.taskId;
      await sleep(50 + Math.random() * 200);
      const key = `faults-${randomUUID()}`;
      const order = [0, 1, 2, 3].sort(() => Math.random() - 0.5);
      const body = { kind: 'RANKING', tiers: order.map((i) => [i]), timeMs: 1500 };
      const giveUpAt = Date.now() + RETRY_FOR_MS;
      for (;;) {
        const s = await api.post<{ submission: { submissionId: string } }>(`/api/tasks/${taskId}/submit`, body, l.token, { 'idempotency-key': key });
        if (s.status === 200 || s.status === 201) {
          acked.push({ submissionId: s.data.submission.submissionId, taskId, userId: l.id });
          break;
        }
        // No answer (server down) or 503 (a service down): the same request again, same key.
        if ((s.status === 0 || s.status === 503) && Date.now() < giveUpAt) {
          await sleep(500);
          continue;
        }
        break; // 4xx: the lease was lost meanwhile; take the next task
      }
    }
  });
  return {
    acked,
    async stop() {
      stopping = true;
      await Promise.all(loops);
      return acked;
    },
  };
}
