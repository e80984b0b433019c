// Email + password sign-in. Accounts are made by admins; there is no public sign-up.
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getCurrentUser, safePath } from '@/lib/auth/current-user';
import { homeFor } from '@/lib/auth/roles';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const target = safePath(typeof next === 'string' ? next : '', '');
  const user = await getCurrentUser();
  if (user) redirect(target && target !== '/sign-in' ? target : homeFor(user.role));
  return (
    <div className="card auth-card">
      <h1 className="card-title">Sign in to Hone</h1>
      <SignInForm next={target} />
      <p className="hint" style={{ marginTop: 'var(--space-4)' }}>
        No account? Ask an admin to create one for you.
      </p>
    </div>
  );
}
