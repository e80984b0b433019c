// The simulated project without a web server: the same use cases as the admin API (project,
// prompt import, completion-set import), for integration tests.
import { createProject } from '../data/projects/create-project';
import { importPrompts } from '../data/prompts/import-prompts';
import { importCompletionSets } from '../data/prompts/import-completion-sets';
import { ProjectInput } from '../shared/schemas';
import { corpusPrompts, flawedCompletions } from './corpus';

export async function createSimProjectInProcess(opts: { name: string; k?: number; overlap?: number; prompts?: number; firstSets?: number; seed?: number; autoPromote?: boolean }) {
  const k = opts.k ?? 4;
  const project = await createProject(
    ProjectInput.parse({ name: opts.name, k, overlap: opts.overlap ?? 1, mixDemonstration: 1, mixDialogue: 0, mixRanking: 1, guidelines: 'One short sentence about the subject, ending with a period.' }),
    null,
  );
  const prompts = corpusPrompts(opts.prompts);
  await importPrompts(project.id, prompts.map((p) => JSON.stringify({ prompt: p.text, split: p.split })).join('\n'), 'jsonl', null);
  const sets = prompts.slice(0, opts.firstSets ?? prompts.length);
  if (sets.length) {
    await importCompletionSets(
      project.id,
      sets.map((p, i) => JSON.stringify({ prompt: p.text, completions: flawedCompletions(p.text, k, (opts.seed ?? 1) * 1000 + i), model: 'flawed-writer', split: p.split })).join('\n'),
      null,
    );
  }
  return { id: project.id, k, prompts: prompts.length, sets: sets.length };
}
