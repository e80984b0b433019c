// A prompt with everything made from it.
import Link from 'next/link';
import type { PromptItem } from '@/lib/data/browse/item-prompt';
import { LongText } from '@/app/_components/markdown';
import { formatDateTime } from '@/app/_components/format';
import { itemHref } from '../links';
import { GoldBadge, SplitBadge } from '../_components/badges';
import { TaskLine } from './task-ref';
import { UsedIn } from './used-in';
import styles from '../data.module.css';

export function PromptView({ item, isAdmin }: { item: PromptItem; isAdmin: boolean }) {
  const href = (type: Parameters<typeof itemHref>[1], id: string) => itemHref(item.projectId, type, id);
  return (
    <>
      <section className="card stack-sm" aria-labelledby="prompt-h">
        <h2 id="prompt-h" className="card-title">
          Text
        </h2>
        <LongText text={item.text} />
        <dl className={styles.meta}>
          <dt>Split</dt>
          <dd>
            <SplitBadge split={item.split} />
          </dd>
          <dt>Source</dt>
          <dd>
            {item.source.toLowerCase()}
            {item.createdBy && ` (by ${item.createdBy})`}
          </dd>
          {item.tags.length > 0 && (
            <>
              <dt>Tags</dt>
              <dd>{item.tags.join(', ')}</dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{formatDateTime(item.createdAt)}</dd>
          <dt>Last sampled</dt>
          <dd>{formatDateTime(item.sampledAt)}</dd>
          <dt>Id</dt>
          <dd className="mono small">{item.id}</dd>
        </dl>
      </section>

      <section className="card stack-sm" aria-labelledby="tasks-h">
        <h2 id="tasks-h" className="card-title">
          Tasks ({item.tasks.length})
        </h2>
        {item.tasks.length === 0 ? (
          <p className="muted">No tasks for this prompt.</p>
        ) : (
          <ul className="stack-sm">
            {item.tasks.map((t) => (
              <li key={t.id}>
                <TaskLine task={t} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card stack-sm" aria-labelledby="sets-h">
        <h2 id="sets-h" className="card-title">
          Completion sets ({item.sets.length})
        </h2>
        {item.sets.length === 0 ? (
          <p className="muted">No completion sets for this prompt.</p>
        ) : (
          <ul className="stack-sm">
            {item.sets.map((s) => (
              <li key={s.id}>
                <Link href={href('set', s.id)}>
                  {s.k} completions from {s.sourceModel}
                </Link>{' '}
                <span className="muted small">
                  {s.judgements} judgement{s.judgements === 1 ? '' : 's'} · {formatDateTime(s.createdAt)}
                </span>{' '}
                <GoldBadge gold={s.gold} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card stack-sm" aria-labelledby="subs-h">
        <h2 id="subs-h" className="card-title">
          Demonstrations and dialogues ({item.demonstrations.length + item.conversations.length})
        </h2>
        {item.demonstrations.length + item.conversations.length === 0 ? (
          <p className="muted">Nobody has answered this prompt yet.</p>
        ) : (
          <ul className="stack-sm">
            {item.demonstrations.map((d) => (
              <li key={d.id}>
                <Link href={href('demonstration', d.id)}>Demonstration by {d.labeler}</Link>{' '}
                <span className="muted small">
                  {d.chars.toLocaleString('en')} characters · {formatDateTime(d.createdAt)}
                </span>
              </li>
            ))}
            {item.conversations.map((c) => (
              <li key={c.id}>
                <Link href={href('conversation', c.id)}>Dialogue by {c.labeler}</Link>{' '}
                <span className="muted small">
                  {c.turns} turns{c.submitted ? '' : ', in progress'} · {formatDateTime(c.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <UsedIn usedIn={item.usedIn} what="this prompt" roundLinks={isAdmin} />
    </>
  );
}
