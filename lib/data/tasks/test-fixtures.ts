// Rows for the labeling tests (integration tests only; never imported by the app).
import { prisma } from '../../db';
import { newId } from '../../shared/ids';
import { createProject } from '../projects/create-project';
import { importCompletionSets } from '../prompts/import-completion-sets';
import type { ProjectInput } from '../../shared/schemas';

export async function makeUser(role: 'LABELER' | 'ADMIN' = 'LABELER', name = 'Labeler'): Promise<string> {
  const id = newId();
  await prisma.user.create({ data: { id, name, email: `${id}@test.hone`, role } });
  return id;
}

export async function makeProject(over: Partial<ProjectInput> = {}): Promise<string> {
  const p = await createProject({ name: `P ${newId()}`, description: '', guidelines: '# Be helpful', k: 4, overlap: 3, mixDemonstration: 1, mixDialogue: 1, mixRanking: 1, leaseMinutes: 30, ...over }, null);
  return p.id;
}

export function completionLines(n: number, k: number, tag = newId()): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ prompt: `Prompt ${tag} #${i}`, completions: Array.from({ length: k }, (_, j) => `Answer ${j} to ${i}`), model: 'test-model' })).join('\n');
}

export async function makeRankingSets(projectId: string, n: number, k = 4): Promise<void> {
  await importCompletionSets(projectId, completionLines(n, k), null);
}
