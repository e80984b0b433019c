'use client';
import { useActionState, useState } from 'react';
import { revokeTokenAction } from './actions';
import { idle, type ActionResult } from '@/app/_components/action-result';

export function RevokeButton({ id, name }: { id: string; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const [state, action, pending] = useActionState<ActionResult, FormData>(revokeTokenAction, idle);
  if (!confirming) {
    return (
      <button type="button" className="btn btn-sm btn-danger" onClick={() => setConfirming(true)}>
        Revoke
      </button>
    );
  }
  return (
    <form action={action} className="row" aria-label={`Confirm revoking ${name}`}>
      <input type="hidden" name="id" value={id} />
      <span className="small">Revoke “{name}”? Programs using it stop working.</span>
      <button type="submit" className="btn btn-sm btn-danger" disabled={pending} autoFocus>
        Confirm revoke
      </button>
      <button type="button" className="btn btn-sm btn-ghost" onClick={() => setConfirming(false)} disabled={pending}>
        Cancel
      </button>
      {state.message && !state.ok && (
        <span className="field-error" role="alert">
          {state.message}
        </span>
      )}
    </form>
  );
}
