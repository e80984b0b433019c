// The one markdown renderer: GitHub-flavoured markdown renders (tables, task lists), and markup
// written by a labeler or a model cannot reach the page (raw HTML, script links).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '@/app/_components/markdown';

const render = (text: string) => renderToStaticMarkup(createElement(Markdown, null, text));

describe('Markdown', () => {
  it('renders GitHub-flavoured tables, task lists and strikethrough', () => {
    const html = render('| a | b |\n| - | - |\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n~~old~~');
    expect(html).toContain('<table>');
    expect(html).toContain('<td>2</td>');
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*checked/);
    expect(html).toContain('<del>old</del>');
  });

  it('keeps code blocks as preformatted code', () => {
    expect(render('```\nconst x = 1;\n```')).toContain('<pre><code>const x = 1;\n</code></pre>');
  });

  it('drops raw HTML and script URLs', () => {
    const html = render('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n[click](javascript:alert(1)) <b>bold</b>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('onerror');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('<b>');
    expect(html).toContain('click');
  });
});
