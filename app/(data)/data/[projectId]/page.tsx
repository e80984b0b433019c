// The data browser of one project (ADMIN and RESEARCHER): prompts, completion sets, tasks and
// submissions, filtered and searched, one server-side page at a time. The URL carries the list
// and its filters, so a view can be shared and Back undoes a filter.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requirePageUser } from '@/lib/auth/current-user';
import { isAppError } from '@/lib/data/errors';
import { browseData, type BrowseResult } from '@/lib/data/browse/browse-data';
import { browseFacets, type BrowseFacets } from '@/lib/data/browse/facets';
import { parseBrowseQuery, TAB_LABEL, TABS, type BrowseQuery, type FilterName, type Tab } from '@/lib/data/browse/filters';
import { listHref } from '../links';
import { FilterForm } from './_lists/filter-form';
import { Pager } from './_lists/pager';
import { PromptsTable } from './_lists/prompts-table';
import { SetsTable } from './_lists/sets-table';
import { TasksTable } from './_lists/tasks-table';
import { SubmissionsTable } from './_lists/submissions-table';
import styles from '../data.module.css';

export const metadata: Metadata = { title: 'Data' };
export const dynamic = 'force-dynamic';

type SearchParams = Record<string, string | string[] | undefined>;

function Rows({ projectId, result }: { projectId: string; result: BrowseResult }) {
  if (result.items.length === 0) return null;
  switch (result.tab) {
    case 'prompts':
      return <PromptsTable projectId={projectId} rows={result.items} />;
    case 'sets':
      return <SetsTable projectId={projectId} rows={result.items} />;
    case 'tasks':
      return <TasksTable projectId={projectId} rows={result.items} />;
    case 'submissions':
      return <SubmissionsTable projectId={projectId} rows={result.items} />;
  }
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function DataPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<SearchParams> }) {
  const user = await requirePageUser('RESEARCHER');
  const { projectId } = await params;
  const sp = await searchParams;
  let facets: BrowseFacets;
  try {
    facets = await browseFacets(projectId);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
  // A filter the list does not take, or a value it does not know, is shown, not thrown.
  let query: BrowseQuery | null = null;
  let result: BrowseResult | null = null;
  let problem: string | null = null;
  try {
    query = parseBrowseQuery(sp);
    result = await browseData(projectId, query);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'INVALID_INPUT') throw e;
    problem = e.message;
  }
  const tab: Tab = query?.tab ?? ((TABS as readonly string[]).includes(one(sp.tab) ?? '') ? (one(sp.tab) as Tab) : 'prompts');
  const values = Object.fromEntries((['q', 'split', 'status', 'kind', 'gold', 'labeler', 'round'] as FilterName[]).map((f) => [f, one(sp[f])])) as Partial<Record<FilterName, string>>;
  const filtered = Object.values(values).some(Boolean);

  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>
          Data: {facets.project.name} {facets.project.archived && <span className="badge badge-muted">archived</span>}
        </h1>
        <div className="row">
          <Link className="btn btn-sm btn-ghost" href="/data">
            All projects
          </Link>
          {user.role === 'ADMIN' ? (
            <Link className="btn btn-sm" href={`/admin/projects/${projectId}`}>
              Project settings
            </Link>
          ) : (
            <Link className="btn btn-sm" href={`/research?projectId=${projectId}`}>
              Export
            </Link>
          )}
        </div>
      </div>

      <nav className={styles.tabs} aria-label="Lists">
        <ul>
          {TABS.map((t) => (
            <li key={t}>
              <Link href={listHref(projectId, query ?? { tab }, { tab: t, page: 1 })} aria-current={t === tab ? 'page' : undefined}>
                {TAB_LABEL[t]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <FilterForm projectId={projectId} tab={tab} values={values} labelers={facets.labelers} rounds={facets.rounds} />

      {problem && (
        <div role="alert" className="alert alert-error">
          {problem}{' '}
          <Link href={`/data/${projectId}?tab=${tab}`}>Show the list without filters</Link>
        </div>
      )}

      {result && query && (
        <section className="stack-sm" aria-labelledby="list-h">
          <div className={styles.summary}>
            <h2 id="list-h">
              {TAB_LABEL[tab]} <span className="muted small">({result.total.toLocaleString('en')})</span>
            </h2>
          </div>
          {result.total === 0 ? (
            <p className="muted">{filtered ? 'Nothing matches these filters.' : `This project has no ${TAB_LABEL[tab].toLowerCase()} yet.`}</p>
          ) : (
            <>
              <Rows projectId={projectId} result={result} />
              <Pager projectId={projectId} query={query} total={result.total} pages={result.pages} />
            </>
          )}
        </section>
      )}
    </div>
  );
}
