'use client';
import { useActionState } from 'react';
import { createUserAction } from './actions';
import { idle, type ActionResult } from '@/app/_components/action-result';
import { FieldError, FormStatus, useActionErrors, useFieldErrors } from '@/app/_components/field-errors';

const ROLES = ['LABELER', 'RESEARCHER', 'ADMIN'] as const;

export function CreateUserForm() {
  const [state, action, pending] = useActionState<ActionResult, FormData>(createUserAction, idle);
  // Fields are uncontrolled (typing before hydration is kept). React resets the form after each
  // answer; on an error the fields re-mount (key = nonce) with what was sent, minus the password.
  const sent = state.ok ? undefined : state.values;
  const fe = useFieldErrors();
  useActionErrors(fe, state);
  const field = (name: 'name' | 'email' | 'password', label: string, props: React.InputHTMLAttributes<HTMLInputElement>, hint?: string) => (
    <div className="field">
      <label htmlFor={`new-${name}`}>{label}</label>
      <input
        key={state.nonce ?? 0}
        id={`new-${name}`}
        name={name}
        className="input"
        defaultValue={name === 'password' ? undefined : sent?.[name]}
        {...fe.fieldProps(name, hint ? `new-${name}-hint` : undefined)}
        {...props}
      />
      {hint && (
        <p id={`new-${name}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldError form={fe} name={name} />
    </div>
  );
  return (
    <form action={action} {...fe.formProps} className="stack" aria-label="Create a user">
      <div className="form-grid">
        {field('name', 'Name', { autoComplete: 'off', required: true })}
        {field('email', 'Email', { type: 'email', autoComplete: 'off', required: true })}
        {field('password', 'Password', { type: 'password', autoComplete: 'new-password', required: true, minLength: 10 }, 'At least 10 characters.')}
        <div className="field">
          <label htmlFor="new-role">Role</label>
          <select
            key={state.nonce ?? 0}
            id="new-role"
            name="role"
            className="select"
            defaultValue={sent?.role || 'LABELER'}
            {...fe.fieldProps('role')}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <FieldError form={fe} name="role" />
        </div>
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create user'}
        </button>
        <FormStatus form={fe} success={state.ok ? state.message : null} />
      </div>
    </form>
  );
}
