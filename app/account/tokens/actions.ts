'use server';
// Server actions of the Tokens page; any signed-in user manages their own tokens.
import { revalidatePath } from 'next/cache';
import { getCurrentUser } from '@/lib/auth/current-user';
import { createApiToken, createTokenInput } from '@/lib/data/api-tokens/create-token';
import { revokeApiToken } from '@/lib/data/api-tokens/revoke-token';
import { failure, type ActionResult } from '@/app/_components/action-result';

export type CreateTokenResult = ActionResult & { secret?: string; name?: string };

const SIGNED_OUT: ActionResult = { ok: false, message: 'Your session has ended. Sign in again.' };

export async function createTokenAction(_prev: CreateTokenResult, form: FormData): Promise<CreateTokenResult> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  try {
    const input = createTokenInput.parse({ name: form.get('name') ?? '' });
    const { token, secret } = await createApiToken(user.id, input);
    revalidatePath('/account/tokens');
    return { ok: true, message: `Created "${token.name}".`, secret, name: token.name };
  } catch (e) {
    return failure(e);
  }
}

export async function revokeTokenAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  try {
    const token = await revokeApiToken(user.id, String(form.get('id') ?? ''));
    revalidatePath('/account/tokens');
    return { ok: true, message: `Revoked "${token.name}".` };
  } catch (e) {
    return failure(e);
  }
}
