'use client';
// Email and password. An empty field is marked before anything is sent; a refused sign-in says why
// beside the button, where the eye is after pressing it.
import { useActionState, useEffect } from 'react';
import { FieldError, FormStatus, useFieldErrors } from '@/app/_components/field-errors';
import { signInAction, type SignInState } from './actions';

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, { error: null, email: '', attempt: 0 });
  const fe = useFieldErrors();
  const { set } = fe;
  useEffect(() => {
    if (state.error) set({}, state.error);
  }, [state, set]);

  // Checked here so an empty field is marked at once; the server checks again.
  const check = (e: React.FormEvent<HTMLFormElement>) => {
    const data = new FormData(e.currentTarget);
    const missing: Record<string, string> = {};
    if (!String(data.get('email') ?? '').trim()) missing.email = 'Enter your email address.';
    if (!String(data.get('password') ?? '')) missing.password = 'Enter your password.';
    if (Object.keys(missing).length) {
      e.preventDefault();
      set(missing, null);
    }
  };

  return (
    <form action={action} {...fe.formProps} onSubmit={check} className="stack" aria-label="Sign in" aria-busy={pending} data-attempt={state.attempt}>
      <input type="hidden" name="next" value={next} />
      <div className="field">
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          className="input"
          autoComplete="username"
          required
          autoFocus
          // Uncontrolled (typing before hydration is kept); re-mounted after each attempt with
          // the email that was sent, since React resets the form after its action.
          defaultValue={state.email}
          key={state.attempt}
          {...fe.fieldProps('email')}
        />
        <FieldError form={fe} name="email" />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" className="input" autoComplete="current-password" required {...fe.fieldProps('password')} />
        <FieldError form={fe} name="password" />
      </div>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
        <FormStatus form={fe} />
      </div>
    </form>
  );
}
