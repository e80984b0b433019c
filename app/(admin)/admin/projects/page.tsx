// Admin: every project with its open work, and a form to create one.
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { listProjects } from '@/lib/data/projects/list-projects';
import { ProjectForm } from './project-form';

export const metadata: Metadata = { title: 'Projects' };
export const dynamic = 'force-dynamic';

export default async function ProjectsPage() {
  await requirePageUser('ADMIN');
  const projects = await listProjects({ includeArchived: true });
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Projects</h1>
        <span className="muted">{projects.length} in all</span>
      </div>
      <section aria-labelledby="list-h" className="stack-sm">
        <h2 id="list-h">All projects</h2>
        {projects.length === 0 ? (
          <p className="muted">No projects yet: create the first one below.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col" className="num">
                    K
                  </th>
                  <th scope="col" className="num">
                    Overlap
                  </th>
                  <th scope="col" className="num">
                    Prompts
                  </th>
                  <th scope="col" className="num">
                    Open tasks
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {projects.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link href={`/admin/projects/${p.id}`}>{p.name}</Link>
                    </th>
                    <td className="num">{p.k}</td>
                    <td className="num">{p.overlap}</td>
                    <td className="num">{p.prompts}</td>
                    <td className="num">{p.openTasks}</td>
                    <td>{p.archived ? <span className="badge badge-muted">archived</span> : <span className="badge badge-success">active</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="create-h">
        <h2 id="create-h" className="card-title">
          Create a project
        </h2>
        <ProjectForm />
      </section>
    </div>
  );
}
