// One labeler's ranking in full: tiers (ties), "all bad", flags per completion, Likert, comment,
// the order it was shown in, time taken and the guideline version it was made under.
import Link from 'next/link';
import type { JudgementView } from '@/lib/data/browse/item-common';
import { COMPLETION_FLAGS } from '@/lib/shared/labeling';
import { formatDateTime } from '@/app/_components/format';
import { itemHref } from '../links';
import { seconds } from '../_components/badges';
import { Tiers } from '../_components/tiers';
import styles from '../data.module.css';

const FLAG_LABEL = new Map<string, string>(COMPLETION_FLAGS.map((f) => [f.id, f.label]));

export function JudgementCard({ projectId, j, link = true }: { projectId: string; j: JudgementView; link?: boolean }) {
  const flagged = Object.entries(j.flags);
  return (
    <article className={styles.judgement} aria-label={`Judgement by ${j.labeler.name}`} data-judgement={j.id}>
      <div className="row-between row">
        <strong>{j.labeler.name}</strong>
        <span className="muted small">
          {formatDateTime(j.createdAt)} · {seconds(j.timeMs)} · guidelines v{j.guidelineVersion}
          {j.guidelineOutdated && (
            <>
              {' '}
              <span className="badge badge-muted" title="A newer guideline version was out when this was submitted">
                outdated
              </span>
            </>
          )}
          {link && (
            <>
              {' · '}
              <Link href={itemHref(projectId, 'judgement', j.id)}>Open</Link>
            </>
          )}
        </span>
      </div>
      <dl className={styles.meta}>
        <dt>Ranking</dt>
        <dd className={styles.tiers}>
          <Tiers tiers={j.tiers} label="Ranking" /> {j.tiers && j.tiers.some((t) => t.length > 1) && <span className="badge badge-muted">ties</span>}
        </dd>
        <dt>All bad</dt>
        <dd>{j.allBad ? <span className="badge badge-danger">yes</span> : 'no'}</dd>
        <dt>Flags</dt>
        <dd>
          {flagged.length === 0
            ? 'none'
            : flagged.map(([index, flags]) => (
                <span key={index} className="row small">
                  #{index}:{' '}
                  {flags.map((f) => (
                    <span key={f} className="badge badge-danger">
                      {FLAG_LABEL.get(f) ?? f}
                    </span>
                  ))}
                </span>
              ))}
        </dd>
        <dt>Likert</dt>
        <dd>
          {j.likertPerCompletion
            ? Object.entries(j.likertPerCompletion)
                .map(([i, v]) => `#${i}: ${v}`)
                .join(' · ')
            : j.likert === null
              ? '—'
              : `${j.likert} of 7`}
        </dd>
        <dt>Comment</dt>
        <dd className={styles.preWrap}>{j.comment ? j.comment : <span className="muted">none</span>}</dd>
        <dt>Shown as</dt>
        <dd className="mono small">{j.displayOrder.map((i, pos) => `${String.fromCharCode(65 + pos)}=#${i}`).join('  ')}</dd>
      </dl>
    </article>
  );
}
