// OpenAI's `stop`: a reply ends just before the first place any stop sequence appears, and the
// sequence itself is never returned. Used by the worker (to stop sampling there) and by the
// /v1/chat/completions route (to cut and stream the text), so both agree on where a reply ends.

/** The text before the earliest stop sequence, and whether one was found. */
export function cutAtStop(text: string, stops: readonly string[]): { text: string; stopped: boolean } {
  let end = -1;
  for (const s of stops) {
    const at = s ? text.indexOf(s) : -1;
    if (at !== -1 && (end === -1 || at < end)) end = at;
  }
  return end === -1 ? { text, stopped: false } : { text: text.slice(0, end), stopped: true };
}

/**
 * The part of an unfinished reply that can be shown already: the text cut at a stop sequence,
 * less any tail that could still grow into one ("Hello\n" is held back while "\n\n" is a stop),
 * so a stream never shows the beginning of a stop sequence that then completes; and less a
 * trailing U+FFFD, which is what a character whose bytes are not all sampled yet decodes to (a
 * stream cannot take back the "�" once the character is complete).
 */
export function settledText(text: string, stops: readonly string[]): { text: string; stopped: boolean } {
  const cut = cutAtStop(text, stops);
  if (cut.stopped) return cut;
  let hold = 0;
  for (const s of stops) {
    for (let n = Math.min(s.length - 1, text.length); n > hold; n--) {
      if (text.endsWith(s.slice(0, n))) {
        hold = n;
        break;
      }
    }
  }
  return { text: text.slice(0, text.length - hold).replace(/\ufffd+$/, ''), stopped: false };
}
