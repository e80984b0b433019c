'use server';
import { redirect } from 'next/navigation';
import { safePath } from '@/lib/auth/current-user';
import { homeFor } from '@/lib/auth/roles';
import { signInWithPassword } from '@/lib/auth/session-actions';

/** `attempt` changes on every answer, so the form re-mounts its fields with `email` filled in. */
export type SignInState = { error: string | null; email: string; attempt: number };

export async function signInAction(prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '');
  const password = String(form.get('password') ?? '');
  const result = await signInWithPassword(email, password);
  if (!result.ok) return { error: result.message, email, attempt: prev.attempt + 1 };
  const next = safePath(String(form.get('next') ?? ''), '');
  redirect(next && next !== '/sign-in' ? next : homeFor(result.role));
}
