// Simulated labelers (docs/researchers.md, "Measuring the loop"): N accounts that work the real JSON API exactly as people do —
// lease the next task, write a demonstration, rank a completion set by a gold preference with
// label noise, skip dialogues (or anything they cannot do) — until no task is left or a budget
// is spent.
import { mulberry32 } from '../shared/labeling';
import { HoneClient, HoneHttpError } from './client';
import { defaultGold, rankByGold, type GoldPreference } from './gold';
import { goldAnswer, hurriedAnswer } from './corpus';

/** How one labeler reaches Hone: over HTTP (default) or in-process (tests without a server). */
export type LabelerSession = {
  next(projectId: string): Promise<Lease | null>;
  view(taskId: string): Promise<TaskView>;
  submit(taskId: string, body: Record<string, unknown>): Promise<void>;
  skip(taskId: string, reason: string): Promise<void>;
};

export function httpSession(c: HoneClient): LabelerSession {
  return {
    next: async (projectId) => (await c.post<{ task: Lease | null }>('/api/tasks/next', { projectId })).task,
    view: async (taskId) => (await c.get<{ task: TaskView }>(`/api/tasks/${taskId}`)).task,
    submit: async (taskId, body) => void (await c.post(`/api/tasks/${taskId}/submit`, body)),
    skip: async (taskId, reason) => void (await c.post(`/api/tasks/${taskId}/skip`, { reason })),
  };
}

export type LabelerOptions = {
  baseUrl?: string;
  /** Accounts with the LABELER role. */
  labelers: { email: string; password: string }[];
  /** Opens a session per labeler; default: sign in over HTTP at baseUrl. */
  connect?: (labeler: { email: string; password: string }) => Promise<LabelerSession>;
  projectId: string;
  gold?: GoldPreference;
  /** Probability that a ranking is careless (a random order). */
  noise?: number;
  /** Writes a demonstration for a prompt (default: the corpus's careful answer). */
  writeDemonstration?: (prompt: string) => string;
  /** Probability that a demonstration is hurried (the corpus's hurriedAnswer: no final period, or
   *  trailing off) instead of written by `writeDemonstration`; default 0. */
  demonstrationNoise?: number;
  /** Stop after this many submissions in all (default: no limit). */
  maxSubmissions?: number;
  /** Only these kinds (default: demonstrations and rankings). */
  kinds?: ('DEMONSTRATION' | 'RANKING')[];
  seed?: number;
  onSubmit?: (e: { labeler: string; kind: string; taskId: string }) => void;
};

export type LabelerReport = { demonstrations: number; rankings: number; skipped: number; byLabeler: Record<string, number> };

export type Lease = { taskId: string; kind: string };
export type TaskView = { kind: string; prompt: { text: string } | null; ranking: { completions: { index: number; text: string }[]; displayOrder: number[] } | null };

export async function runLabelers(o: LabelerOptions): Promise<LabelerReport> {
  const gold = o.gold ?? defaultGold;
  const noise = o.noise ?? 0.1;
  const write = o.writeDemonstration ?? goldAnswer;
  const kinds = new Set(o.kinds ?? ['DEMONSTRATION', 'RANKING']);
  const report: LabelerReport = { demonstrations: 0, rankings: 0, skipped: 0, byLabeler: {} };
  let budget = o.maxSubmissions ?? Infinity;
  const connect = o.connect ?? (async (l: { email: string; password: string }) => httpSession(await HoneClient.signIn(o.baseUrl!, l.email, l.password)));
  const clients = await Promise.all(o.labelers.map((l) => connect(l)));

  await Promise.all(
    clients.map(async (c, li) => {
      const who = o.labelers[li].email;
      const rand = mulberry32((o.seed ?? 1) * 7919 + li);
      let idle = 0;
      while (budget > 0 && idle < 2) {
        const lease = await c.next(o.projectId);
        if (!lease) {
          idle++;
          continue;
        }
        idle = 0;
        const { taskId, kind } = lease;
        const view = await c.view(taskId);
        const started = Date.now();
        try {
          if (kind === 'DEMONSTRATION' && kinds.has('DEMONSTRATION') && view.prompt) {
            budget--;
            const hurried = (o.demonstrationNoise ?? 0) > 0 && rand() < o.demonstrationNoise!;
            const text = hurried ? hurriedAnswer(view.prompt.text, rand) : write(view.prompt.text);
            await c.submit(taskId, { kind, text, timeMs: Date.now() - started + 1000 });
            report.demonstrations++;
          } else if (kind === 'RANKING' && kinds.has('RANKING') && view.ranking && view.prompt) {
            budget--;
            const texts = view.ranking.completions.map((x) => x.text);
            const tiers = rankByGold(view.prompt.text, texts, gold, noise, rand).map((t) => t.map((i) => view.ranking!.completions[i].index));
            await c.submit(taskId, { kind, tiers, timeMs: Date.now() - started + 2000 });
            report.rankings++;
          } else {
            await c.skip(taskId, 'Simulated labelers do not write dialogues.');
            report.skipped++;
            continue;
          }
          report.byLabeler[who] = (report.byLabeler[who] ?? 0) + 1;
          o.onSubmit?.({ labeler: who, kind, taskId });
        } catch (e) {
          if ((e instanceof HoneHttpError && (e.status === 409 || e.status === 410)) || ['CONFLICT', 'GONE'].includes((e as { code?: string }).code ?? '')) continue; // lease lost or task done meanwhile
          throw e;
        }
      }
    }),
  );
  return report;
}
