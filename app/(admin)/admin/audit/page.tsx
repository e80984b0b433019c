// Admin: the audit log — who changed what, newest first, filtered by person, action and project.
// A plain GET form and links, so filters and pages are shareable URLs and work without JavaScript;
// the same rows come from GET /api/admin/audit.
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { listAudit, type AuditPage } from '@/lib/data/audit/list-audit';
import { AUDIT_ACTIONS, AUDIT_FAMILIES } from '@/lib/data/audit/actions';
import { listUsers } from '@/lib/data/users/list-users';
import { listProjects } from '@/lib/data/projects/list-projects';
import { isAppError } from '@/lib/data/errors';
import { formatDateTime } from '@/app/_components/format';
import { compactData } from './compact-data';
import styles from './audit.module.css';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

function href(filters: Record<string, string | undefined>): string {
  const q = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1]));
  return q.size ? `/admin/audit?${q}` : '/admin/audit';
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageUser('ADMIN');
  const sp = await searchParams;
  const filters = { actor: one(sp.actor), action: one(sp.action), projectId: one(sp.projectId) };
  const [users, projects] = await Promise.all([listUsers(), listProjects({ includeArchived: true })]);
  let page: AuditPage = { entries: [], nextCursor: null };
  let problem: string | null = null;
  try {
    page = await listAudit({ ...filters, cursor: one(sp.cursor) });
  } catch (e) {
    if (!isAppError(e)) throw e;
    problem = e.message; // an old or edited link: say what is wrong, keep the form
  }
  const filtered = !!(filters.actor || filters.action || filters.projectId);

  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Audit log</h1>
        <span className="muted">Every change admins and researchers made, newest first.</span>
      </div>

      <form role="search" aria-label="Filter the audit log" method="get" action="/admin/audit" className={`card ${styles.filters}`}>
        <div className="field">
          <label htmlFor="audit-actor">Person</label>
          <select id="audit-actor" name="actor" className="select" defaultValue={filters.actor ?? ''}>
            <option value="">Anyone</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" name="action" className="select" defaultValue={filters.action ?? ''}>
            <option value="">Any action</option>
            {Object.entries(AUDIT_FAMILIES).map(([family, label]) => (
              <optgroup key={family} label={label}>
                <option value={family}>All: {label.toLowerCase()}</option>
                {Object.entries(AUDIT_ACTIONS)
                  .filter(([a]) => a.startsWith(`${family}.`))
                  .map(([a, words]) => (
                    <option key={a} value={a}>
                      {a} ({words})
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-project">Project</label>
          <select id="audit-project" name="projectId" className="select" defaultValue={filters.projectId ?? ''}>
            <option value="">Any project</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="row">
          <button type="submit" className="btn btn-primary">
            Filter
          </button>
          {filtered && (
            <Link href="/admin/audit" className="btn">
              Clear
            </Link>
          )}
        </div>
      </form>

      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}

      <section aria-labelledby="audit-entries" className="stack-sm">
        <h2 id="audit-entries" className="sr-only">
          Entries
        </h2>
        {page.entries.length === 0 && !problem ? (
          <p className="muted">{filtered ? 'No entries match these filters.' : 'Nothing has been changed yet.'}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What happened</th>
                  <th scope="col">Project</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {page.entries.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap small">{formatDateTime(e.createdAt)}</td>
                    <th scope="row">
                      {e.summary}
                      <div className="muted small mono">{e.action}</div>
                    </th>
                    <td>{e.project ? <Link href={href({ ...filters, projectId: e.project.id })}>{e.project.name}</Link> : <span className="muted">—</span>}</td>
                    <td>
                      <code className={styles.data}>{compactData(e.data) || '—'}</code>
                      {e.ip && <span className="muted small">from {e.ip}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className={styles.pager} aria-label="Pages">
          {one(sp.cursor) ? (
            <Link className="btn btn-sm" href={href(filters)}>
              ← Newest
            </Link>
          ) : (
            <span />
          )}
          {page.nextCursor && (
            <Link className="btn btn-sm" href={href({ ...filters, cursor: page.nextCursor })} rel="next">
              Older entries →
            </Link>
          )}
        </nav>
      </section>
    </div>
  );
}
