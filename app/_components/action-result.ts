// The shape server actions return to forms, and how errors become sentences for people.
import { ZodError } from 'zod';
import { isAppError } from '@/lib/data/errors';
import { issueDetails } from '@/lib/shared/issue-messages';
import { fixFieldsMessage } from './field-errors-map';

export type ActionResult = {
  ok: boolean;
  message: string | null;
  fieldErrors?: Record<string, string>;
  /** What was sent (never passwords), for forms to show again: React resets a form after its action. */
  values?: Record<string, string>;
  /** Changes on every answer, as a `key` that re-mounts uncontrolled fields with `values`. */
  nonce?: number;
};

export const idle: ActionResult = { ok: false, message: null };

export function failure(e: unknown): ActionResult {
  if (isAppError(e)) {
    const field = (e.details as { field?: string } | undefined)?.field;
    return { ok: false, message: e.message, fieldErrors: field ? { [field]: e.message } : undefined };
  }
  if (e instanceof ZodError) {
    const fieldErrors: Record<string, string> = {};
    for (const d of issueDetails(e.issues)) fieldErrors[d.path || 'form'] ??= d.message;
    const fields = Object.keys(fieldErrors).filter((k) => k !== 'form').length;
    return { ok: false, message: fieldErrors.form ?? fixFieldsMessage(fields), fieldErrors };
  }
  throw e;
}
