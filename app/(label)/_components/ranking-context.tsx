'use client';
// The conversation a ranking set continues, above its candidates: the turn being answered stays
// in view, the earlier turns fold behind a <details> once the conversation is long (open by
// default while it is short). Every turn is rendered markdown; long turns clip behind Show more.
import { LongText } from '@/app/_components/markdown';
import styles from './label.module.css';
import own from './ranking-context.module.css';

type Turn = { role: 'USER' | 'ASSISTANT'; text: string };

const SHORT = 4;

function TurnItem({ m }: { m: Turn }) {
  return (
    <li className={m.role === 'USER' ? styles.turnUser : styles.turnAssistant}>
      <span className={styles.turnRole}>{m.role === 'USER' ? 'User' : 'Assistant'}</span>
      <LongText text={m.text} chars={600} lines={10} />
    </li>
  );
}

export function RankingContext({ turns }: { turns: Turn[] }) {
  const earlier = turns.slice(0, -1);
  const last = turns.at(-1);
  return (
    <div className="stack-sm" data-testid="ranking-context">
      {earlier.length > 0 && (
        <details className={own.earlier} open={turns.length <= SHORT}>
          <summary>
            Earlier in the conversation ({earlier.length} turn{earlier.length === 1 ? '' : 's'})
          </summary>
          <ol className={styles.thread}>
            {earlier.map((m, i) => (
              <TurnItem key={i} m={m} />
            ))}
          </ol>
        </details>
      )}
      {last && (
        <ol className={styles.thread} aria-label="The turn the completions answer">
          <TurnItem m={last} />
        </ol>
      )}
      <p className="muted small">Rank the next assistant turn: which continuation of this conversation is best?</p>
    </div>
  );
}
