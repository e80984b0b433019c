// A demonstration: the prompt and the answer a labeler wrote for it.
import Link from 'next/link';
import type { DemonstrationItem } from '@/lib/data/browse/item-demonstration';
import { LongText } from '@/app/_components/markdown';
import { formatDateTime } from '@/app/_components/format';
import { itemHref } from '../links';
import { seconds, SplitBadge } from '../_components/badges';
import { TaskLine } from './task-ref';
import { UsedIn } from './used-in';
import styles from '../data.module.css';

export function DemonstrationView({ item, isAdmin }: { item: DemonstrationItem; isAdmin: boolean }) {
  return (
    <>
      <section className="card stack-sm" aria-labelledby="prompt-h">
        <h2 id="prompt-h" className="card-title">
          <Link href={itemHref(item.projectId, 'prompt', item.prompt.id)}>Prompt</Link> <SplitBadge split={item.prompt.split} />
        </h2>
        <LongText text={item.prompt.text} />
      </section>
      <section className="card stack-sm" aria-labelledby="answer-h">
        <h2 id="answer-h" className="card-title">
          Answer by {item.labeler.name}
        </h2>
        <LongText text={item.text} chars={4000} lines={60} />
        <dl className={styles.meta}>
          <dt>Written</dt>
          <dd>
            {formatDateTime(item.createdAt)} in {seconds(item.timeMs)}
          </dd>
          <dt>Guidelines</dt>
          <dd>version {item.guidelineVersion}</dd>
          <dt>Task</dt>
          <dd>
            <TaskLine task={item.task} />
          </dd>
        </dl>
      </section>
      <UsedIn usedIn={item.usedIn} what="this demonstration" roundLinks={isAdmin} />
    </>
  );
}
