// Background requests while a service is down, as the UI and scripts would send them: the round
// page (GET /api/rounds/:id), the health check, and an enqueue (POST /api/export-jobs on a small
// project). The Recorder classifies each one started during the outage.
import type { Api } from './http';
import { sleep } from './ports';

export function startOutageTraffic(api: Api, o: { adminToken: string; researcherToken: string; roundId?: string; exportProjectId: string }): { stop(): Promise<void> } {
  let stopping = false;
  const pending: Promise<unknown>[] = [];
  const loop = (async () => {
    while (!stopping) {
      if (o.roundId) pending.push(api.get(`/api/rounds/${o.roundId}`, o.adminToken));
      pending.push(api.get('/api/health'));
      pending.push(api.post('/api/export-jobs', { format: 'judgements', filter: { projectId: o.exportProjectId } }, o.researcherToken));
      await sleep(1000);
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      await Promise.all(pending);
    },
  };
}
