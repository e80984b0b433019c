// Admin: register a Hugging Face GPT-2-family model as a BASE checkpoint of a project, from a
// folder in the server's models folder (HONE_MODELS_DIR) or from files uploaded from this
// computer. A worker checks and converts it; rounds can then start from it.
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { listProjects } from '@/lib/data/projects/list-projects';
import { listModelFolders, modelsDir } from '@/lib/data/bases/models-dir';
import { RegisterForm } from './register-form';

export const metadata: Metadata = { title: 'Register a base model' };
export const dynamic = 'force-dynamic';

export default async function RegisterBasePage({ searchParams }: { searchParams: Promise<{ project?: string }> }) {
  await requirePageUser('ADMIN');
  const [projects, folders, { project }] = await Promise.all([listProjects(), listModelFolders(), searchParams]);
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Register a base model</h1>
        <Link href="/admin/checkpoints" className="btn btn-secondary btn-sm">
          Checkpoints
        </Link>
      </div>
      <p className="muted">
        A Hugging Face GPT-2-family model (gpt2, distilgpt2, gpt2-medium, or your own of any size) becomes a base checkpoint of a project; training rounds can then start
        from it. Hone reads <code>config.json</code>, <code>model.safetensors</code> and the tokenizer (<code>vocab.json</code> + <code>merges.txt</code>, or{' '}
        <code>tokenizer.json</code>), and checks every tensor before anything is stored.
      </p>
      {projects.length === 0 ? (
        <p className="muted">
          No projects yet: <Link href="/admin/projects">create a project</Link> first.
        </p>
      ) : (
        <RegisterForm
          projects={projects.map((p) => ({ id: p.id, name: p.name }))}
          initialProjectId={projects.some((p) => p.id === project) ? project! : projects[0].id}
          initialFolders={folders}
          modelsDir={modelsDir()}
        />
      )}
    </div>
  );
}
