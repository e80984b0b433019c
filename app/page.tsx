// "/" sends people where they work: labelers to /label, admins to projects, researchers to
// /research; signed-out visitors to /sign-in.
import { redirect } from 'next/navigation';
import { getCurrentUser } from '@/lib/auth/current-user';
import { homeFor } from '@/lib/auth/roles';

export default async function Home() {
  const user = await getCurrentUser();
  redirect(user ? homeFor(user.role) : '/sign-in');
}
