// Markdown for prompts, guidelines and previews. Raw HTML is never rendered.
import ReactMarkdown from 'react-markdown';
import styles from './label.module.css';

export function Markdown({ children, className }: { children: string; className?: string }) {
  return (
    <div className={`${styles.markdown} ${className ?? ''}`}>
      <ReactMarkdown skipHtml>{children}</ReactMarkdown>
    </div>
  );
}
