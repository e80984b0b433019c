// A dialogue as a tree: each turn with its author, and branches (sibling replies) indented under
// the turn they answer. Model suggestions and the labeler's edits of them are marked.
import type { Turn } from '@/lib/data/browse/item-common';
import { LongText } from '@/app/_components/markdown';
import styles from '../data.module.css';

function TurnCard({ turn, edited }: { turn: Turn; edited: boolean }) {
  return (
    <div className={`${styles.turn} ${turn.role === 'ASSISTANT' ? styles.turnAssistant : ''}`} data-turn={turn.id}>
      <div className="row small">
        <strong>{turn.role === 'USER' ? 'User' : 'Assistant'}</strong>
        <span className="muted">by {turn.author}</span>
        {turn.isSuggestion && <span className="badge badge-muted">model suggestion</span>}
        {turn.editedFromId && <span className="badge badge-researcher">edited suggestion</span>}
        {edited && <span className="badge badge-muted">replaced by an edit</span>}
      </div>
      <LongText text={turn.text} chars={1500} lines={20} />
    </div>
  );
}

/** Renders `turns` (a whole dialogue or one path) as nested lists from its roots. */
export function Thread({ turns }: { turns: Turn[] }) {
  const children = new Map<string | null, Turn[]>();
  const ids = new Set(turns.map((t) => t.id));
  for (const t of turns) {
    const parent = t.parentId && ids.has(t.parentId) ? t.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const editedIds = new Set(turns.flatMap((t) => (t.editedFromId ? [t.editedFromId] : [])));
  const render = (parent: string | null, depth: number): React.ReactNode => {
    const kids = children.get(parent) ?? [];
    if (!kids.length) return null;
    // One reply continues the line; several are branches, each indented with its own subtree.
    if (kids.length === 1) {
      const [t] = kids;
      return (
        <>
          <li>
            <TurnCard turn={t} edited={editedIds.has(t.id)} />
          </li>
          {render(t.id, depth)}
        </>
      );
    }
    const after = parent ? turns.find((t) => t.id === parent)?.text ?? '' : '';
    const label = (i: number) => `Branch ${i + 1} of ${kids.length}${after ? ` after “${after.length > 40 ? `${after.slice(0, 40)}…` : after}”` : ''}`;
    return kids.map((t, i) => (
      <li key={t.id} className={styles.branch} aria-label={label(i)}>
        <span className="muted small">
          Branch {i + 1} of {kids.length}
        </span>
        <ol className={styles.thread}>
          <li>
            <TurnCard turn={t} edited={editedIds.has(t.id)} />
          </li>
          {depth < 50 && render(t.id, depth + 1)}
        </ol>
      </li>
    ));
  };
  return <ol className={styles.thread}>{render(null, 0)}</ol>;
}
