// The pure half of field errors: which field an API error belongs to, and the message a form shows
// beside its submit button. No React here, so it is unit-tested (test/field-errors-map.test.ts).

/** An API error body's `error` (lib/http's ErrorBody), or a server action's failure. */
export type ErrorLike = { message: string; details?: unknown };

export type FieldErrorState = {
  /** Field name → message shown under that field. */
  fields: Record<string, string>;
  /** Shown beside the submit button; null when there is nothing to say there. */
  form: string | null;
};

export const NO_ERRORS: FieldErrorState = { fields: {}, form: null };

type Detail = { path: string; message: string };
const isDetail = (d: unknown): d is Detail =>
  typeof d === 'object' && d !== null && typeof (d as Detail).path === 'string' && typeof (d as Detail).message === 'string';

/**
 * Field name for an error path: the form's name for the path, or for the nearest enclosing path
 * ("settings.sft.steps" finds "settings.sft.steps", then "settings.sft", then "settings").
 */
export function fieldFor(path: string, known: ReadonlySet<string> | null): string | null {
  if (!known) return path || null;
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') if (known.has(p)) return p;
  return null;
}

/** How many fields, in words: "the field marked above", "the 3 fields marked above". */
export function fixFieldsMessage(count: number): string {
  return count === 1 ? 'Fix the field marked above, then try again.' : `Fix the ${count} fields marked above, then try again.`;
}

/**
 * Maps an error to field messages. Details `[{path, message}]` (validation) go to their fields;
 * `{field}` (an AppError naming one field) puts the error's message on that field. `known` lists
 * the form's field names: an error for a field the form does not show stays at the button, so
 * no message is ever lost.
 */
export function errorsFrom(error: ErrorLike, known: ReadonlySet<string> | null = null): FieldErrorState {
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  const place = (path: string, message: string) => {
    const name = fieldFor(path, known);
    if (name) fields[name] ??= message;
    else unplaced.push(message);
  };
  const d = error.details;
  if (Array.isArray(d)) for (const item of d.filter(isDetail)) place(item.path, item.message);
  else if (d && typeof d === 'object' && typeof (d as { field?: unknown }).field === 'string') place((d as { field: string }).field, error.message);
  const placed = Object.keys(fields).length;
  // The button says what no field shows, and points at the fields that show the rest.
  const pointer = placed ? fixFieldsMessage(placed) : null;
  const form = unplaced.length ? [unplaced[0], pointer && `Also: ${pointer[0]!.toLowerCase()}${pointer.slice(1)}`].filter(Boolean).join(' ') : (pointer ?? error.message);
  return { fields, form };
}

/** Joins the ids a field is described by (its hint, its error), skipping the absent ones. */
export function describedBy(...ids: (string | null | undefined | false)[]): string | undefined {
  const list = ids.filter((x): x is string => typeof x === 'string' && x.length > 0);
  return list.length ? list.join(' ') : undefined;
}

/** An id-safe form of a field name ("samplingParams.topP" → "samplingParams-topP"). */
export const fieldSlug = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '-');
