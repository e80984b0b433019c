// Setting up a simulated loop through the admin API: labeler accounts, a project, its prompts
// (from the corpus) and first completion sets (flawed answers, before any policy exists).
import { HoneClient } from './client';
import { corpusPrompts, flawedCompletions } from './corpus';

export type SimProject = { id: string; slug: string; name: string; k: number };

export async function createLabelers(admin: HoneClient, n: number, tag = 'sim'): Promise<{ email: string; password: string }[]> {
  const out: { email: string; password: string }[] = [];
  const stamp = Date.now().toString(36);
  for (let i = 0; i < n; i++) {
    const email = `${tag}-labeler-${i + 1}-${stamp}@sim.hone.test`;
    const password = `sim-password-${stamp}-${i}`;
    await admin.post('/api/admin/users', { email, name: `Simulated labeler ${i + 1}`, password, role: 'LABELER' });
    out.push({ email, password });
  }
  return out;
}

export async function createSimProject(
  admin: HoneClient,
  opts: { name: string; k?: number; overlap?: number; prompts?: number; firstSets?: number; seed?: number; samplingParams?: Record<string, number> },
): Promise<SimProject & { prompts: number; sets: number }> {
  const k = opts.k ?? 4;
  const { project } = await admin.post<{ project: { id: string; slug: string; name: string } }>('/api/projects', {
    name: opts.name,
    description: 'Simulated labelers answering everyday questions (lib/sim).',
    guidelines: 'Answer in one short sentence about the subject asked, ending with a period.',
    k,
    overlap: opts.overlap ?? 1,
    mixDemonstration: 1,
    mixDialogue: 0,
    mixRanking: 1,
    ...(opts.samplingParams ? { samplingParams: opts.samplingParams } : {}),
  });
  const prompts = corpusPrompts(opts.prompts);
  const promptLines = prompts.map((p) => JSON.stringify({ prompt: p.text, split: p.split })).join('\n');
  await admin.request('POST', `/api/projects/${project.id}/prompts/import?format=jsonl`, promptLines, { 'content-type': 'application/jsonl' });
  const sets = prompts.slice(0, opts.firstSets ?? prompts.length);
  const setLines = sets.map((p, i) => JSON.stringify({ prompt: p.text, completions: flawedCompletions(p.text, k, (opts.seed ?? 1) * 1000 + i), model: 'flawed-writer', split: p.split })).join('\n');
  if (sets.length) await admin.request('POST', `/api/projects/${project.id}/completion-sets/import?format=jsonl`, setLines, { 'content-type': 'application/jsonl' });
  return { ...project, k, prompts: prompts.length, sets: sets.length };
}
