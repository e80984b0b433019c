// What a completion set continues: the prompt, or the dialogue down to the turn it answers.
import Link from 'next/link';
import type { PromptRef, Turn } from '@/lib/data/browse/item-common';
import { LongText } from '@/app/_components/markdown';
import { itemHref } from '../links';
import { SplitBadge } from '../_components/badges';
import { Thread } from './thread';

export function SetContext({ projectId, prompt, context, conversationId }: { projectId: string; prompt: PromptRef; context: Turn[] | null; conversationId?: string | null }) {
  return (
    <section className="card stack-sm" aria-labelledby="ctx-h">
      <h2 id="ctx-h" className="card-title">
        {context ? 'Dialogue so far' : 'Prompt'} <SplitBadge split={prompt.split} />
      </h2>
      {context ? <Thread turns={context} /> : <LongText text={prompt.text} />}
      <p className="small">
        <Link href={itemHref(projectId, 'prompt', prompt.id)}>Open the prompt</Link>
        {conversationId && (
          <>
            {' · '}
            <Link href={itemHref(projectId, 'conversation', conversationId)}>Open the whole dialogue</Link>
          </>
        )}
      </p>
    </section>
  );
}
