// The one markdown renderer: guidelines, prompts, completions, dialogue turns, previews, gold and
// quality pages. GitHub-flavoured (tables, task lists, strikethrough, autolinks); raw HTML is
// dropped and what remains is sanitized, so text written by labelers or models cannot inject markup.
import ReactMarkdown from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import styles from './markdown.module.css';

export { LongText } from './long-text';

const remarkPlugins = [remarkGfm];
const rehypePlugins = [rehypeSanitize];

export function Markdown({ children, className }: { children: string; className?: string }) {
  return (
    <div className={`${styles.markdown} ${className ?? ''}`}>
      <ReactMarkdown skipHtml remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
