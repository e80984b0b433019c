'use client';
// Name a new token; its secret is shown here once, with a copy button.
import { useActionState, useState } from 'react';
import { createTokenAction, type CreateTokenResult } from './actions';

export function CreateTokenForm() {
  const [state, action, pending] = useActionState<CreateTokenResult, FormData>(createTokenAction, { ok: false, message: null });
  const [copied, setCopied] = useState<string | null>(null);
  const nameError = state.fieldErrors?.name;

  async function copy(secret: string) {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(secret);
    } catch {
      setCopied(null);
    }
  }

  return (
    <div className="stack">
      {state.ok && state.secret ? (
        <div className="alert alert-success stack-sm" role="status">
          <p>
            <strong>Copy your new token “{state.name}” now.</strong> It is shown only once; Hone keeps only a hash of it.
          </p>
          <code className="secret" data-testid="new-token-secret" aria-label="New API token">
            {state.secret}
          </code>
          <div className="row">
            <button type="button" className="btn btn-sm" onClick={() => copy(state.secret!)}>
              {copied === state.secret ? 'Copied' : 'Copy token'}
            </button>
            <span className="small muted" aria-live="polite">
              {copied === state.secret ? 'The token is on your clipboard.' : ''}
            </span>
          </div>
        </div>
      ) : (
        state.message &&
        !nameError && (
          <div className="alert alert-error" role="alert">
            {state.message}
          </div>
        )
      )}
      <form action={action} className="row" style={{ alignItems: 'flex-end' }} noValidate aria-label="Create an API token">
        <div className="field" style={{ flex: '1 1 18rem' }}>
          <label htmlFor="token-name">Token name</label>
          <input
            id="token-name"
            name="name"
            className="input"
            placeholder="e.g. laptop, training cluster"
            autoComplete="off"
            required
            maxLength={100}
            key={state.secret ?? 'new'}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? 'token-name-error' : undefined}
          />
          {nameError && (
            <p id="token-name-error" className="field-error">
              {nameError}
            </p>
          )}
        </div>
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create token'}
        </button>
      </form>
    </div>
  );
}
