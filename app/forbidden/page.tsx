// Where requirePageUser sends a signed-in user whose role may not open a page.
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getCurrentUser, safePath } from '@/lib/auth/current-user';
import { describeRoles, homeFor, ROLES, type Role } from '@/lib/auth/roles';

export const metadata: Metadata = { title: 'Not allowed' };

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ need?: string; from?: string }> }) {
  const { need, from } = await searchParams;
  const user = await getCurrentUser();
  if (!user) redirect('/sign-in');
  const roles = (need ?? '').split(',').filter((r): r is Role => ROLES.includes(r as Role));
  const page = safePath(from, '');
  return (
    <div className="card stack" style={{ maxWidth: '40rem' }}>
      <h1>You need {describeRoles(roles)}</h1>
      <div className="alert alert-warning" role="alert">
        <p>
          {page ? <code>{page}</code> : 'That page'} is open to{' '}
          {roles.length ? `${roles.join(' and ')} accounts${roles.includes('ADMIN') ? '' : ' and admins'}` : 'other roles'}. You are signed in as{' '}
          {user.email}, who has the {user.role} role.
        </p>
      </div>
      <p>If you need access, ask an admin to change your role.</p>
      <div className="row">
        <Link href={homeFor(user.role)} className="btn btn-primary">
          Go to your start page
        </Link>
      </div>
    </div>
  );
}
