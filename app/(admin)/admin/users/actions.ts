'use server';
// Server actions of the Users page. Each checks the caller is an admin, validates with the same
// schemas as the JSON API, and calls one use case.
import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { getCurrentUser } from '@/lib/auth/current-user';
import { clientIp } from '@/lib/auth/ip';
import { createUser } from '@/lib/data/users/create-user';
import { updateUser } from '@/lib/data/users/update-user';
import { createUserInput, updateUserInput } from '@/lib/data/users/schemas';
import { failure, type ActionResult } from '@/app/_components/action-result';

async function requireAdmin() {
  const user = await getCurrentUser();
  if (!user || user.role !== 'ADMIN') return null;
  return { id: user.id, ip: clientIp(await headers()) };
}

const NOT_ADMIN: ActionResult = { ok: false, message: 'You need the ADMIN role to manage users. Sign in again as an admin.' };

export async function createUserAction(prev: ActionResult, form: FormData): Promise<ActionResult> {
  const actor = await requireAdmin();
  if (!actor) return NOT_ADMIN;
  const nonce = (prev.nonce ?? 0) + 1;
  const values = { name: String(form.get('name') ?? ''), email: String(form.get('email') ?? ''), role: String(form.get('role') ?? '') };
  try {
    const input = createUserInput.parse({
      name: form.get('name') ?? '',
      email: form.get('email') ?? '',
      password: form.get('password') ?? '',
      role: form.get('role') || undefined,
    });
    const user = await createUser(input, actor);
    revalidatePath('/admin/users');
    return { ok: true, message: `Created ${user.email} (${user.role}). They can sign in now.`, nonce };
  } catch (e) {
    return { ...failure(e), values, nonce };
  }
}

export async function updateUserAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const actor = await requireAdmin();
  if (!actor) return NOT_ADMIN;
  try {
    const id = String(form.get('id') ?? '');
    const active = form.get('active');
    const input = updateUserInput.parse({
      role: form.get('role') || undefined,
      active: active === null ? undefined : active === 'true',
    });
    const user = await updateUser(id, input, actor);
    revalidatePath('/admin/users');
    const what = input.active === undefined ? `is now ${user.role}` : user.active ? 'was reactivated' : 'was deactivated and signed out';
    return { ok: true, message: `${user.email} ${what}.` };
  } catch (e) {
    return failure(e);
  }
}
