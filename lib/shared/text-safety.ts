// Text that Postgres cannot store, and short quotes of input for error messages. Postgres refuses
// NUL (\u0000) in text and jsonb, and a lone UTF-16 surrogate cannot be encoded as UTF-8, so both
// are refused at the edge with a 400 naming the field instead of failing deep in a query.

/** How much of a person's input an error message may quote. */
export const QUOTE_CHARS = 100;

/** What is wrong with a string that cannot be stored, or null when it is fine. */
export function unsafeTextReason(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return `contains a NUL character (\\u0000) at position ${i}; remove it`;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `contains a lone UTF-16 surrogate (\\u${c.toString(16)}) at position ${i}, which is not valid Unicode`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `contains a lone UTF-16 surrogate (\\u${c.toString(16)}) at position ${i}, which is not valid Unicode`;
  }
  return null;
}

/** The input as an error message may show it: at most `max` characters, then "…". */
export function quote(text: string, max = QUOTE_CHARS): string {
  if (text.length <= max) return text;
  // Do not cut a surrogate pair in half: the message itself must stay valid Unicode.
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
