// A dialogue: its opening prompt, every turn with its branches, and the sets sampled from it.
import Link from 'next/link';
import type { ConversationItem } from '@/lib/data/browse/item-conversation';
import { LongText } from '@/app/_components/markdown';
import { formatDateTime } from '@/app/_components/format';
import { itemHref } from '../links';
import { seconds, SplitBadge } from '../_components/badges';
import { TaskLine } from './task-ref';
import { Thread } from './thread';
import { UsedIn } from './used-in';
import styles from '../data.module.css';

export function ConversationView({ item, isAdmin }: { item: ConversationItem; isAdmin: boolean }) {
  return (
    <>
      <section className="card stack-sm" aria-labelledby="about-h">
        <h2 id="about-h" className="card-title">
          Dialogue by {item.labeler.name} {item.submitted ? <span className="badge badge-success">submitted</span> : <span className="badge badge-labeler">in progress</span>}
        </h2>
        <dl className={styles.meta}>
          <dt>Prompt</dt>
          <dd>
            {item.prompt ? (
              <>
                <Link href={itemHref(item.projectId, 'prompt', item.prompt.id)}>Open the prompt</Link> <SplitBadge split={item.prompt.split} />
              </>
            ) : (
              'none (a free dialogue)'
            )}
          </dd>
          <dt>Started</dt>
          <dd>{formatDateTime(item.createdAt)}</dd>
          <dt>Last change</dt>
          <dd>
            {formatDateTime(item.updatedAt)} ({seconds(item.timeMs)} of work)
          </dd>
          <dt>Guidelines</dt>
          <dd>version {item.guidelineVersion}</dd>
          {item.task && (
            <>
              <dt>Task</dt>
              <dd>
                <TaskLine task={item.task} />
              </dd>
            </>
          )}
        </dl>
        {item.prompt && <LongText text={item.prompt.text} />}
      </section>
      <section className="stack-sm" aria-labelledby="turns-h">
        <h2 id="turns-h">Turns ({item.turns.length})</h2>
        {item.turns.length ? <Thread turns={item.turns} /> : <p className="muted">No turns yet.</p>}
      </section>
      {item.sets.length > 0 && (
        <section className="card stack-sm" aria-labelledby="dsets-h">
          <h2 id="dsets-h" className="card-title">
            Completion sets continuing it ({item.sets.length})
          </h2>
          <ul className="stack-sm">
            {item.sets.map((s) => (
              <li key={s.id}>
                <Link href={itemHref(item.projectId, 'set', s.id)}>Set sampled {formatDateTime(s.createdAt)}</Link>{' '}
                <span className="muted small">
                  {s.judgements} judgement{s.judgements === 1 ? '' : 's'}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <UsedIn usedIn={item.usedIn} what="this dialogue" roundLinks={isAdmin} />
    </>
  );
}
