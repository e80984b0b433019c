// The data browser's start: pick a project (ADMIN and RESEARCHER).
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { listProjects } from '@/lib/data/projects/list-projects';

export const metadata: Metadata = { title: 'Data' };
export const dynamic = 'force-dynamic';

export default async function DataHome() {
  await requirePageUser('RESEARCHER');
  const projects = await listProjects({ includeArchived: true });
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Data</h1>
      </div>
      {projects.length === 0 ? (
        <p className="muted">There are no projects yet.</p>
      ) : (
        <section className="stack-sm" aria-labelledby="projects-h">
          <h2 id="projects-h">Browse a project’s prompts, completion sets, tasks and submissions</h2>
          <ul className="stack-sm">
            {projects.map((p) => (
              <li key={p.id}>
                <Link href={`/data/${p.id}`}>{p.name}</Link> {p.archived && <span className="badge badge-muted">archived</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
