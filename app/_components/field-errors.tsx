'use client';
// Feedback where the eye is, for every admin and research form: a faulty field is marked
// (aria-invalid), described by its message (aria-describedby), scrolled to and focused; its
// message clears as soon as the field changes; and a form-level message sits beside the submit
// button, never only at the top of a long page.
//
//   const fe = useFieldErrors();
//   <form {...fe.formProps} onSubmit={…}>
//     <input id="p-name" {...fe.fieldProps('name')} /> <FieldError form={fe} name="name" />
//     <div className="row"><button …/><FormStatus form={fe} /></div>
//   </form>
//   on failure: fe.fromError(apiError)  ·  client checks: fe.set({ name: 'Enter a name.' })
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { NO_ERRORS, describedBy, errorsFrom, fieldSlug, fixFieldsMessage, type ErrorLike, type FieldErrorState } from './field-errors-map';

export { errorsFrom, fixFieldsMessage, type ErrorLike, type FieldErrorState } from './field-errors-map';

export type FieldProps = {
  ref: (el: HTMLElement | null) => void;
  'data-field': string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
};

export type FieldErrors = {
  /** Field name → message, and the message beside the submit button. */
  state: FieldErrorState;
  error: (name: string) => string | undefined;
  errorId: (name: string) => string;
  formErrorId: string;
  /** Spread on a field: marks it, ties it to its message (and `hintId`, when it has a hint). */
  fieldProps: (name: string, hintId?: string) => FieldProps;
  /** Spread on the <form>: a change in any marked field clears that field's error. */
  formProps: { noValidate: true; onChange: (e: ChangeEvent<HTMLFormElement>) => void };
  /** Shows an API error (or a server action's) on its fields, then scrolls to the first. */
  fromError: (error: ErrorLike) => void;
  /** Shows client-side checks; the form-level message defaults to "Fix the field marked above…". */
  set: (fields: Record<string, string>, form?: string | null) => void;
  /** Clears one field's error, or everything when no name is given. */
  clear: (name?: string) => void;
};

export function useFieldErrors(): FieldErrors {
  const [state, setState] = useState<FieldErrorState>(NO_ERRORS);
  // Bumped on each new set of errors: the effect below scrolls only then, not on every render.
  const [shown, setShown] = useState(0);
  const prefix = useId();
  const nodes = useRef(new Map<string, HTMLElement>());
  const refs = useRef(new Map<string, (el: HTMLElement | null) => void>());

  const errorId = useCallback((name: string) => `${prefix}-${fieldSlug(name)}-error`, [prefix]);
  const formErrorId = `${prefix}-form-error`;

  const show = useCallback((next: FieldErrorState) => {
    setState(next);
    setShown((n) => n + 1);
  }, []);

  const fromError = useCallback((error: ErrorLike) => show(errorsFrom(error, new Set(nodes.current.keys()))), [show]);

  const set = useCallback(
    (fields: Record<string, string>, form?: string | null) => {
      const count = Object.keys(fields).length;
      show({ fields, form: form === undefined ? (count ? fixFieldsMessage(count) : null) : form });
    },
    [show],
  );

  const clear = useCallback((name?: string) => {
    if (name === undefined) return setState(NO_ERRORS);
    setState((s) => {
      if (!(name in s.fields)) return s;
      const fields = { ...s.fields };
      delete fields[name];
      // Once every marked field is fixed, the message beside the button has nothing left to say.
      return { fields, form: Object.keys(fields).length ? s.form : null };
    });
  }, []);

  const refFor = useCallback((name: string) => {
    let r = refs.current.get(name);
    if (!r) {
      r = (el: HTMLElement | null) => {
        if (el) nodes.current.set(name, el);
        else nodes.current.delete(name);
      };
      refs.current.set(name, r);
    }
    return r;
  }, []);

  // After the errors render: scroll to and focus the first faulty field in page order, or bring
  // the form-level message into view when no field on the page carries one.
  useEffect(() => {
    if (!shown) return;
    const faulty = [...nodes.current.entries()].filter(([name]) => name in state.fields).map(([, el]) => el);
    faulty.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    const target = faulty[0];
    if (target) {
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
    } else document.getElementById(formErrorId)?.scrollIntoView({ block: 'nearest' });
    // Runs on `shown` only: state and ids are current whenever `shown` changes.
  }, [shown]);

  return useMemo<FieldErrors>(
    () => ({
      state,
      error: (name) => state.fields[name],
      errorId,
      formErrorId,
      fieldProps: (name, hintId) => ({
        ref: refFor(name),
        'data-field': name,
        'aria-invalid': state.fields[name] ? true : undefined,
        'aria-describedby': describedBy(hintId, state.fields[name] && errorId(name)),
      }),
      formProps: {
        noValidate: true,
        onChange: (e) => {
          const name = (e.target as HTMLElement).closest?.('[data-field]')?.getAttribute('data-field');
          if (name) clear(name);
        },
      },
      fromError,
      set,
      clear,
    }),
    [state, errorId, formErrorId, refFor, fromError, set, clear],
  );
}

/** A server action's failure (app/_components/action-result) in the shape fromError reads. */
export function actionError(result: { message: string | null; fieldErrors?: Record<string, string> }): ErrorLike {
  const details = Object.entries(result.fieldErrors ?? {}).map(([path, message]) => ({ path: path === 'form' ? '' : path, message }));
  return { message: result.message ?? 'That did not work; try again.', details };
}

/** For forms driven by useActionState: each failed answer is shown on its fields. */
export function useActionErrors(fe: FieldErrors, result: { ok: boolean; message: string | null; fieldErrors?: Record<string, string> }) {
  const { fromError, clear } = fe;
  useEffect(() => {
    if (!result.ok && result.message) fromError(actionError(result));
    else clear();
  }, [result, fromError, clear]);
}

/** The message under a field; renders nothing while the field is fine. */
export function FieldError({ form, name }: { form: FieldErrors; name: string }) {
  const message = form.error(name);
  if (!message) return null;
  return (
    <p id={form.errorId(name)} className="field-error">
      {message}
    </p>
  );
}

/**
 * Beside the submit button: the form-level error (announced), or else a `warning` or `success`
 * (quiet statuses), or nothing.
 */
export function FormStatus({ form, success, warning }: { form: FieldErrors; success?: string | null; warning?: string | null }) {
  if (form.state.form) {
    return (
      <p id={form.formErrorId} className="form-status form-status-error" role="alert">
        {form.state.form}
      </p>
    );
  }
  const [tone, text] = warning ? ['warning', warning] : success ? ['success', success] : [null, null];
  if (!text) return null;
  return (
    <p className={`form-status form-status-${tone}`} role="status">
      {text}
    </p>
  );
}
