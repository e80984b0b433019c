// Use case: one page of one of a project's data lists (prompts, completion sets, tasks,
// submissions), filtered as the query says. Pagination is on the server: offset with a total.
import type { BrowseQuery } from './filters';
import { listPrompts, type PromptRow } from './list-prompts';
import { listSets, type SetRow } from './list-sets';
import { listTasks, type TaskRow } from './list-tasks';
import { listSubmissions, type SubmissionRow } from './list-submissions';
import { resolveScope, type Page } from './scope';

export type BrowseResult =
  | ({ tab: 'prompts' } & Page<PromptRow>)
  | ({ tab: 'sets' } & Page<SetRow>)
  | ({ tab: 'tasks' } & Page<TaskRow>)
  | ({ tab: 'submissions' } & Page<SubmissionRow>);

export async function browseData(projectId: string, query: BrowseQuery): Promise<BrowseResult> {
  const scope = await resolveScope(projectId, query);
  switch (query.tab) {
    case 'prompts':
      return { tab: 'prompts', ...(await listPrompts(scope)) };
    case 'sets':
      return { tab: 'sets', ...(await listSets(scope)) };
    case 'tasks':
      return { tab: 'tasks', ...(await listTasks(scope)) };
    case 'submissions':
      return { tab: 'submissions', ...(await listSubmissions(scope)) };
  }
}
