// A one-line preview of markdown for table cells and links: the words without the markup
// ("**Fix** the `bug`" → "Fix the bug"), cut at `max` characters.
export function plainPreview(markdown: string, max = 90): string {
  const text = markdown
    .replace(/```[^\n]*\n?/g, ' ') // code fences (their content stays)
    .replace(/^\s*\|?(\s*:?-{3,}:?\s*\|?)+\s*$/gm, ' ') // table separator rows
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images → alt text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // links → their text
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '') // headings, quotes, list markers
    .replace(/(^|[^\w])(\*\*|__|\*|_|~~|`)(?=\S)([^]*?\S)\2(?!\w)/g, '$1$3') // emphasis, strike, inline code (not snake_case)
    .replace(/\|/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max).trimEnd()}…` : text;
}
