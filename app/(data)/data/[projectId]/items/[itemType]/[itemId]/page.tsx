// One item of a project's data (ADMIN and RESEARCHER): a prompt, completion set, judgement,
// demonstration or dialogue, rendered with its task(s) and judgements. Any bad id or type is
// the app's 404 page.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/lib/auth/current-user';
import { isAppError } from '@/lib/data/errors';
import { browseFacets, type BrowseFacets } from '@/lib/data/browse/facets';
import { getDataItem, type DataItem } from '@/lib/data/browse/get-item';
import type { Tab } from '@/lib/data/browse/filters';
import { PromptView } from '../../../../_views/prompt-view';
import { SetView } from '../../../../_views/set-view';
import { JudgementView } from '../../../../_views/judgement-view';
import { DemonstrationView } from '../../../../_views/demonstration-view';
import { ConversationView } from '../../../../_views/conversation-view';

export const metadata: Metadata = { title: 'Data item' };
export const dynamic = 'force-dynamic';

const TITLE: Record<DataItem['type'], string> = { prompt: 'Prompt', set: 'Completion set', judgement: 'Ranking judgement', demonstration: 'Demonstration', conversation: 'Dialogue' };
const LIST: Record<DataItem['type'], Tab> = { prompt: 'prompts', set: 'sets', judgement: 'submissions', demonstration: 'submissions', conversation: 'submissions' };

export default async function ItemPage({ params }: { params: Promise<{ projectId: string; itemType: string; itemId: string }> }) {
  const user = await requirePageUser('RESEARCHER');
  const { projectId, itemType, itemId } = await params;
  let item: DataItem;
  let facets: BrowseFacets;
  try {
    [facets, item] = await Promise.all([browseFacets(projectId), getDataItem(projectId, itemType, itemId)]);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  const list = LIST[item.type];
  const isAdmin = user.role === 'ADMIN';
  return (
    <div className="stack-lg">
      <nav aria-label="Breadcrumb" className="small">
        <Link href="/data">Data</Link> › <Link href={`/data/${projectId}`}>{facets.project.name}</Link> ›{' '}
        <Link href={`/data/${projectId}?tab=${list}`}>{list === 'sets' ? 'Completion sets' : list === 'prompts' ? 'Prompts' : 'Submissions'}</Link>
      </nav>
      <div className="page-header">
        <h1>{TITLE[item.type]}</h1>
        <span className="mono small muted">{item.id}</span>
      </div>
      {item.type === 'prompt' && <PromptView item={item} isAdmin={isAdmin} />}
      {item.type === 'set' && <SetView item={item} canMarkGold={isAdmin} />}
      {item.type === 'judgement' && <JudgementView item={item} isAdmin={isAdmin} />}
      {item.type === 'demonstration' && <DemonstrationView item={item} isAdmin={isAdmin} />}
      {item.type === 'conversation' && <ConversationView item={item} isAdmin={isAdmin} />}
    </div>
  );
}
