'use client';
// Name a new token; its secret is shown here once, with a copy button.
import { useActionState, useState } from 'react';
import { FieldError, FormStatus, useActionErrors, useFieldErrors } from '@/app/_components/field-errors';
import { createTokenAction, type CreateTokenResult } from './actions';

export function CreateTokenForm() {
  const [state, action, pending] = useActionState<CreateTokenResult, FormData>(createTokenAction, { ok: false, message: null });
  const [copied, setCopied] = useState<string | null>(null);
  const fe = useFieldErrors();
  useActionErrors(fe, state);

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
      ) : null}
      <form action={action} {...fe.formProps} className="row" style={{ alignItems: 'flex-start' }} aria-label="Create an API token">
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
            {...fe.fieldProps('name')}
          />
          <FieldError form={fe} name="name" />
        </div>
        <div className="row" style={{ marginTop: '1.6rem' }}>
          <button type="submit" className="btn btn-primary" disabled={pending}>
            {pending ? 'Creating…' : 'Create token'}
          </button>
          <FormStatus form={fe} />
        </div>
      </form>
    </div>
  );
}
