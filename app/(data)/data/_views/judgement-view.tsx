// One judgement in full beside the set it ranks.
import Link from 'next/link';
import type { JudgementItem } from '@/lib/data/browse/item-judgement';
import { itemHref } from '../links';
import { Tiers } from '../_components/tiers';
import { Completions } from './completions';
import { SetContext } from './context';
import { JudgementCard } from './judgement-card';
import { UsedIn } from './used-in';

export function JudgementView({ item, isAdmin }: { item: JudgementItem; isAdmin: boolean }) {
  return (
    <>
      <JudgementCard projectId={item.projectId} j={item.judgement} link={false} />
      <p>
        <Link href={itemHref(item.projectId, 'set', item.judgement.setId)}>Open the completion set with every judgement</Link>
        {item.goldTiers && (
          <>
            {' · '}Gold order: <Tiers tiers={item.goldTiers} label="Gold order" />
          </>
        )}
      </p>
      <SetContext projectId={item.projectId} prompt={item.prompt} context={item.context} />
      <section className="stack-sm" aria-labelledby="compl-h">
        <h2 id="compl-h">Completions</h2>
        <Completions completions={item.completions} />
      </section>
      <UsedIn usedIn={item.usedIn} what="this judgement" roundLinks={isAdmin} />
    </>
  );
}
