// A set's completions by their index (#0, #1, …: the numbers rankings and gold orders use).
import { LongText } from '@/app/_components/markdown';
import styles from '../data.module.css';

export function Completions({ completions, rankOf }: { completions: { index: number; text: string }[]; rankOf?: Map<number, number> }) {
  return (
    <ol className={styles.completions}>
      {completions.map((c) => (
        <li key={c.index} className={styles.completion} data-completion={c.index}>
          <div className={styles.completionHead}>
            <strong>Completion #{c.index}</strong>
            {rankOf?.has(c.index) && <span className="badge badge-admin">gold rank {rankOf.get(c.index)}</span>}
          </div>
          <LongText text={c.text} chars={3000} lines={40} />
        </li>
      ))}
    </ol>
  );
}
