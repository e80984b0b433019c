'use client';
// Ranking: the context (prompt or dialogue so far) and K completions, shown in this labeler's
// shuffled display order. Order them best first by dragging (mouse or dnd-kit's keyboard
// drag: Space, arrows, Space) or with Alt+↑/↓ or the Up/Down buttons; tie a completion with
// the one above it ("="); flag problems per completion; rate overall quality 1–7; comment.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TaskView } from '@/lib/data/tasks/get-task-view';
import { COMPLETION_FLAGS, LIKERT_MAX, LIKERT_MIN, LIMITS, type CompletionFlag } from '@/lib/shared/labeling';
import { LongText } from '@/app/_components/markdown';
import { SortableRanking, toTiers, type RankingValue } from '@/app/_components/sortable-ranking';
import { TaskShell, type Guidelines } from './task-shell';
import { RankingContext } from './ranking-context';
import styles from './label.module.css';

type RankDraft = {
  kind: 'RANKING';
  order: number[];
  ties: number[]; // completion indices tied with the item above them
  touched: boolean;
  allBad: boolean;
  flags: Record<string, CompletionFlag[]>;
  likert: number | null;
  comment: string;
};

const LIKERT_LABELS: Record<number, string> = { 1: 'very poor', 4: 'acceptable', 7: 'excellent' };

export function RankingTask({ view, guidelines }: { view: TaskView; guidelines: Guidelines }) {
  const r = view.ranking!;
  const saved = view.draft as Partial<RankDraft> | null;
  const validSaved = saved?.order && saved.order.length === r.k && [...saved.order].sort().join() === [...Array(r.k).keys()].join();
  const [order, setOrder] = useState<number[]>(validSaved ? saved!.order! : r.displayOrder);
  const [ties, setTies] = useState<number[]>(validSaved ? (saved!.ties ?? []) : []);
  const [touched, setTouched] = useState<boolean>(validSaved ? !!saved!.touched : false);
  const [allBad, setAllBad] = useState<boolean>(!!saved?.allBad);
  const [flags, setFlags] = useState<Record<string, CompletionFlag[]>>(saved?.flags ?? {});
  const [likert, setLikert] = useState<number | null>(saved?.likert ?? null);
  const [comment, setComment] = useState<string>(saved?.comment ?? '');
  const [openFlags, setOpenFlags] = useState<number | null>(null);
  const rankSection = useRef<HTMLElement>(null);
  // what a key just changed, said in the bar: the checkbox it touched may be off screen
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(t);
  }, [notice]);
  const likertSet = useRef<HTMLFieldSetElement>(null);

  const items = useMemo(() => {
    const textOf = new Map(r.completions.map((c) => [c.index, c.text]));
    return r.displayOrder.map((idx, pos) => ({ id: String(idx), letter: String.fromCharCode(65 + pos), content: textOf.get(idx) ?? '' }));
  }, [r.displayOrder, r.completions]);
  const tiers = toTiers(order, ties);

  const draft = useMemo<RankDraft>(() => ({ kind: 'RANKING', order, ties, touched, allBad, flags, likert, comment }), [order, ties, touched, allBad, flags, likert, comment]);

  const onRankChange = (next: RankingValue) => {
    setOrder(next.order.map(Number));
    setTies(next.ties.map(Number));
    setTouched(true);
  };
  const toggleFlag = (index: number, f: CompletionFlag) => {
    const cur = flags[String(index)] ?? [];
    setFlags({ ...flags, [String(index)]: cur.includes(f) ? cur.filter((x) => x !== f) : [...cur, f] });
  };
  const focusedIndex = (): number | null => {
    const el = (document.activeElement as HTMLElement | null)?.closest('[data-item]');
    return el ? Number(el.getAttribute('data-item')) : null;
  };
  const renderFlags = (id: string) => {
    const index = Number(id);
    const letter = items.find((i) => i.id === id)?.letter;
    const mine = flags[id] ?? [];
    return (
      <details
        open={openFlags === index}
        onToggle={(e) => {
          const open = (e.target as HTMLDetailsElement).open;
          setOpenFlags((cur) => (open ? index : cur === index ? null : cur));
        }}
      >
        <summary className="small">Flags for completion {letter}</summary>
        <fieldset className={styles.flagGrid}>
          <legend className="sr-only">Flags for completion {letter}</legend>
          {COMPLETION_FLAGS.map((f) => (
            <label key={f.id} className="checkbox small">
              <input type="checkbox" checked={mine.includes(f.id)} onChange={() => toggleFlag(index, f.id)} />
              {f.label}
            </label>
          ))}
        </fieldset>
      </details>
    );
  };
  const renderBadge = (id: string) => {
    const n = (flags[id] ?? []).length;
    return n > 0 ? <span className="badge badge-danger"> {n} flag{n > 1 ? 's' : ''}</span> : null;
  };

  // Buttons that vanish once used hand focus on, so it never falls back to the page, where
  // the next letters typed would act as shortcuts.
  const keepOrder = () => {
    setTouched(true);
    requestAnimationFrame(() => rankSection.current?.querySelector<HTMLElement>('[data-part="handle"]')?.focus());
  };
  const clearRating = () => {
    setLikert(null);
    requestAnimationFrame(() => likertSet.current?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus());
  };

  const build = () => {
    if (!touched) return { error: 'Rank the completions first: put them in order (drag, Alt+↑/↓ or the Up/Down buttons), or press "Keep this order" if the order shown is already your ranking.' };
    const cleanFlags = Object.fromEntries(Object.entries(flags).filter(([, v]) => v.length));
    if (comment.length > LIMITS.commentChars) return { error: `The comment is longer than ${LIMITS.commentChars} characters.` };
    return { body: { tiers: toTiers(order, ties), allBad, flags: cleanFlags, likert, comment } };
  };

  return (
    <TaskShell
      view={view}
      guidelines={guidelines}
      draft={draft}
      build={build}
      notice={notice}
      keys={{
        f: () => {
          const i = focusedIndex();
          if (i !== null) setOpenFlags(openFlags === i ? null : i);
        },
        b: () => {
          setAllBad(!allBad);
          setNotice(allBad ? '"All completions are bad" is off again.' : '"All completions are bad" is on (B again turns it off).');
        },
        o: () => {
          if (!touched) setNotice('The shown order is your ranking now.');
          setTouched(true);
        },
      }}
      keyHelp={[
        ['Tab', 'Move between completions and their controls'],
        ['Alt + ↑ / ↓', 'Move the focused completion up or down'],
        ['Space, ↑/↓, Space', 'Keyboard drag with the ⠿ handle'],
        ['=', 'Tie the focused completion with the one above'],
        ['F', 'Open or close the flags of the focused completion'],
        ['B', 'Toggle "all completions are bad"'],
        ['O', 'Keep the shown order as your ranking'],
      ]}
    >
      <div className={styles.rankLayout}>
        <section className="card stack-sm" aria-labelledby="ctx-h">
          <h2 id="ctx-h" className="card-title">
            {r.context ? 'Dialogue so far' : 'Prompt'}
          </h2>
          {r.context ? (
            <RankingContext turns={r.context} />
          ) : (
            <LongText text={view.prompt?.text ?? ''} className={styles.prompt} />
          )}
          <p className="muted small">
            {r.k} completions from {r.sourceModel}. Best at the top; tied completions share a rank.
          </p>
        </section>

        <section ref={rankSection} aria-labelledby="rank-h" className="stack-sm">
          <div className={styles.rankHeader}>
            <h2 id="rank-h">Your ranking (best first)</h2>
            <span className="muted small nowrap" data-testid="rank-status">
              {touched ? `${tiers.length} rank${tiers.length > 1 ? 's' : ''}` : 'not ranked yet'}
            </span>
            {!touched && (
              <button type="button" className="btn btn-sm" onClick={keepOrder}>
                Keep this order <kbd>O</kbd>
              </button>
            )}
          </div>
          <SortableRanking
            items={items}
            order={order.map(String)}
            ties={ties.map(String)}
            onChange={onRankChange}
            showRanks={touched}
            cardKeys={['f']}
            renderBadge={renderBadge}
            renderFooter={renderFlags}
            testId="ranking-list"
          />
        </section>
      </div>

      <section className="card stack" aria-label="Overall judgement">
        <label className="checkbox">
          <input type="checkbox" checked={allBad} onChange={(e) => setAllBad(e.target.checked)} />
          All completions are bad (none is acceptable) <kbd>B</kbd>
        </label>
        <fieldset ref={likertSet} className={styles.likert}>
          <legend>Overall quality of the best completion (1 = very poor, 7 = excellent)</legend>
          <div className="row">
            {Array.from({ length: LIKERT_MAX - LIKERT_MIN + 1 }, (_, i) => i + LIKERT_MIN).map((v) => (
              <label key={v} className={`checkbox ${styles.likertOption}`}>
                <input type="radio" name="likert" value={v} checked={likert === v} onChange={() => setLikert(v)} aria-label={`${v}${LIKERT_LABELS[v] ? ` (${LIKERT_LABELS[v]})` : ''}`} />
                {v}
              </label>
            ))}
            {likert !== null && (
              <button type="button" className="btn btn-sm btn-ghost" onClick={clearRating}>
                Clear rating
              </button>
            )}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="comment">Comment (optional)</label>
          <textarea id="comment" className="textarea" rows={2} value={comment} maxLength={LIMITS.commentChars} onChange={(e) => setComment(e.target.value)} />
        </div>
      </section>
    </TaskShell>
  );
}
