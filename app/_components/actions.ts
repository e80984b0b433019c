'use server';
import { redirect } from 'next/navigation';
import { signOutCurrent } from '@/lib/auth/session-actions';

export async function signOutAction(): Promise<void> {
  await signOutCurrent();
  redirect('/sign-in');
}
