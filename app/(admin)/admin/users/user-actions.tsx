'use client';
// Per-row controls: change the role, deactivate or reactivate — each asks for confirmation.
import { useActionState, useState } from 'react';
import { updateUserAction } from './actions';
import { idle, type ActionResult } from '@/app/_components/action-result';
import type { UserDto } from '@/lib/data/users/types';

const ROLES = ['LABELER', 'RESEARCHER', 'ADMIN'] as const;

type Pending = { kind: 'role'; role: string } | { kind: 'active'; active: boolean } | null;

export function UserActions({ user, isSelf }: { user: UserDto; isSelf: boolean }) {
  const [state, action, busy] = useActionState<ActionResult, FormData>(async (prev, form) => {
    const r = await updateUserAction(prev, form);
    setConfirm(null);
    return r;
  }, idle);
  const [role, setRole] = useState<string>(user.role);
  const [confirm, setConfirm] = useState<Pending>(null);
  const who = isSelf ? 'yourself' : user.email;

  return (
    <div className="stack-sm">
      {confirm ? (
        <form action={action} className="row" aria-label={`Confirm change for ${user.email}`}>
          <input type="hidden" name="id" value={user.id} />
          {confirm.kind === 'role' ? (
            <>
              <input type="hidden" name="role" value={confirm.role} />
              <span>
                Make {who} {confirm.role}?
              </span>
              <button type="submit" className="btn btn-primary btn-sm" disabled={busy} autoFocus>
                Confirm role change
              </button>
            </>
          ) : (
            <>
              <input type="hidden" name="active" value={String(confirm.active)} />
              <span>
                {confirm.active ? `Reactivate ${who}?` : `Deactivate ${who}? They are signed out at once.`}
              </span>
              <button type="submit" className={`btn btn-sm ${confirm.active ? 'btn-primary' : 'btn-danger'}`} disabled={busy} autoFocus>
                {confirm.active ? 'Confirm reactivation' : 'Confirm deactivation'}
              </button>
            </>
          )}
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirm(null)} disabled={busy}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="row">
          <label className="sr-only" htmlFor={`role-${user.id}`}>
            Role for {user.email}
          </label>
          <select id={`role-${user.id}`} className="select btn-sm" style={{ width: 'auto' }} value={role} onChange={(e) => setRole(e.target.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-sm"
            disabled={role === user.role}
            onClick={() => setConfirm({ kind: 'role', role })}
          >
            Change role
          </button>
          {user.active ? (
            <button type="button" className="btn btn-sm btn-danger" onClick={() => setConfirm({ kind: 'active', active: false })}>
              Deactivate
            </button>
          ) : (
            <button type="button" className="btn btn-sm" onClick={() => setConfirm({ kind: 'active', active: true })}>
              Reactivate
            </button>
          )}
        </div>
      )}
      {state.message && (
        <p className={state.ok ? 'hint' : 'field-error'} role={state.ok ? 'status' : 'alert'}>
          {state.message}
        </p>
      )}
    </div>
  );
}
