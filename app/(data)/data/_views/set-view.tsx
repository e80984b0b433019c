// A completion set: what it continues, its completions, its ranking task, the consensus and
// gold orders, and every judgement in full. Admins mark the gold order here with the drag cards.
import type { SetItem } from '@/lib/data/browse/item-set';
import { formatDateTime } from '@/app/_components/format';
import { GoldForm } from '@/app/(admin)/admin/gold/gold-form';
import { GoldBadge } from '../_components/badges';
import { Tiers } from '../_components/tiers';
import { Completions } from './completions';
import { SetContext } from './context';
import { JudgementCard } from './judgement-card';
import { TaskLine } from './task-ref';
import { UsedIn } from './used-in';
import styles from '../data.module.css';

export function SetView({ item, canMarkGold }: { item: SetItem; canMarkGold: boolean }) {
  const goldRank = new Map<number, number>();
  item.goldTiers?.forEach((t, i) => t.forEach((c) => goldRank.set(c, i + 1)));
  return (
    <>
      <SetContext projectId={item.projectId} prompt={item.prompt} context={item.context} conversationId={item.conversationId} />

      <section className="card stack-sm" aria-labelledby="about-h">
        <h2 id="about-h" className="card-title">
          About this set <GoldBadge gold={item.goldTiers !== null} />
        </h2>
        <dl className={styles.meta}>
          <dt>Sampled by</dt>
          <dd>
            {item.sourceModel}
            {item.sampledBy && ` (round ${item.sampledBy.number})`} · {formatDateTime(item.createdAt)}
          </dd>
          <dt>Task</dt>
          <dd>{item.task ? <TaskLine task={item.task} /> : 'none'}</dd>
          <dt>Consensus</dt>
          <dd>
            <Tiers tiers={item.consensus} label="Consensus" /> <span className="muted small">(Copeland, from {item.judgements.length} judgements)</span>
          </dd>
          <dt>Gold order</dt>
          <dd data-testid="gold-order">{item.goldTiers ? <Tiers tiers={item.goldTiers} label="Gold order" /> : <span className="muted">not marked</span>}</dd>
        </dl>
      </section>

      {canMarkGold ? (
        <section className="card stack-sm" aria-labelledby="gold-h">
          <h2 id="gold-h" className="card-title">
            {item.goldTiers ? 'Completions in their gold order' : 'Completions: mark the gold order'}
          </h2>
          <GoldForm setId={item.id} completions={item.completions} goldTiers={item.goldTiers} />
        </section>
      ) : (
        <section className="stack-sm" aria-labelledby="compl-h">
          <h2 id="compl-h">Completions ({item.completions.length})</h2>
          <Completions completions={item.completions} rankOf={goldRank} />
        </section>
      )}

      <section className="stack-sm" aria-labelledby="judg-h">
        <h2 id="judg-h">Judgements ({item.judgements.length})</h2>
        {item.judgements.length === 0 ? (
          <p className="muted">Nobody has ranked this set yet.</p>
        ) : (
          <ol className={styles.judgements}>
            {item.judgements.map((j) => (
              <li key={j.id}>
                <JudgementCard projectId={item.projectId} j={j} />
              </li>
            ))}
          </ol>
        )}
      </section>

      <UsedIn usedIn={item.usedIn} what="this set’s judgements" roundLinks={canMarkGold} />
    </>
  );
}
