// A project's current guidelines, full page (G from the labeler home).
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { isAppError } from '@/lib/data/errors';
import { getGuidelines } from '@/lib/data/projects/get-guidelines';
import { Markdown } from '@/app/_components/markdown';

export const metadata: Metadata = { title: 'Guidelines' };
export const dynamic = 'force-dynamic';

export default async function GuidelinesPage({ params }: { params: Promise<{ projectId: string }> }) {
  await requirePageUser();
  const { projectId } = await params;
  try {
    const g = await getGuidelines(projectId);
    return (
      <article className="stack">
        <div className="page-header">
          <h1>
            {g.projectName}: guidelines <span className="muted small">version {g.version}</span>
          </h1>
          <Link href="/label" className="btn">
            Back
          </Link>
        </div>
        <div className="card">{g.body.trim() ? <Markdown>{g.body}</Markdown> : <p className="muted">No guidelines have been written yet.</p>}</div>
      </article>
    );
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') {
      return (
        <p className="alert alert-error" role="alert">
          {e.message}
        </p>
      );
    }
    throw e;
  }
}
