'use client';
// Ranking: the context (prompt or dialogue so far) and K completions, shown in this labeler's
// shuffled display order. Order them best first by dragging (mouse or dnd-kit's keyboard
// drag: Space, arrows, Space) or with Alt+↑/↓ or the Up/Down buttons; tie a completion with
// the one above it ("="); flag problems per completion; rate overall quality 1–7; comment.
import { useMemo, useRef, useState } from 'react';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { TaskView } from '@/lib/data/tasks/get-task-view';
import { COMPLETION_FLAGS, LIKERT_MAX, LIKERT_MIN, LIMITS, type CompletionFlag } from '@/lib/shared/labeling';
import { Markdown } from '@/app/_components/markdown';
import { TaskShell, type Guidelines } from './task-shell';
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

export function toTiers(order: number[], ties: number[]): number[][] {
  const tiers: number[][] = [];
  order.forEach((i, pos) => {
    if (pos > 0 && ties.includes(i)) tiers[tiers.length - 1].push(i);
    else tiers.push([i]);
  });
  return tiers;
}

function Card(props: {
  index: number;
  letter: string;
  text: string;
  rankLabel: string;
  pos: number;
  count: number;
  tied: boolean;
  flags: CompletionFlag[];
  flagsOpen: boolean;
  onMove: (delta: number) => void;
  onTie: () => void;
  onFlag: (f: CompletionFlag) => void;
  onFlagsOpen: (open: boolean) => void;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: String(props.index) });
  const style = { transform: CSS.Transform.toString(transform), transition };
  const id = `completion-${props.index}`;
  return (
    <li ref={setNodeRef} style={style} className={`${styles.rankCard} ${isDragging ? styles.dragging : ''} ${props.tied ? styles.tied : ''}`} data-completion={props.index} aria-labelledby={`${id}-title`}>
      <div className={styles.rankHead}>
        <button type="button" className={`btn btn-sm ${styles.handle}`} {...attributes} {...listeners} aria-label={`Drag completion ${props.letter}`} aria-roledescription="sortable">
          ⠿
        </button>
        <h3 id={`${id}-title`} className={styles.rankTitle}>
          <span className={styles.rankNo}>{props.rankLabel}</span> Completion {props.letter}
          {props.flags.length > 0 && <span className="badge badge-danger"> {props.flags.length} flag{props.flags.length > 1 ? 's' : ''}</span>}
        </h3>
        <div className="row">
          <button type="button" className="btn btn-sm" onClick={() => props.onMove(-1)} disabled={props.pos === 0} aria-label={`Move completion ${props.letter} up`}>
            ↑ Up
          </button>
          <button type="button" className="btn btn-sm" onClick={() => props.onMove(1)} disabled={props.pos === props.count - 1} aria-label={`Move completion ${props.letter} down`}>
            ↓ Down
          </button>
          <label className="checkbox small">
            <input type="checkbox" checked={props.tied} disabled={props.pos === 0} onChange={props.onTie} aria-label={`Completion ${props.letter} is tied with the one above`} />
            tie with above
          </label>
        </div>
      </div>
      <div className={styles.rankText}>
        <Markdown>{props.text}</Markdown>
      </div>
      <details open={props.flagsOpen} onToggle={(e) => props.onFlagsOpen((e.target as HTMLDetailsElement).open)}>
        <summary className="small">Flags for completion {props.letter}</summary>
        <fieldset className={styles.flagGrid}>
          <legend className="sr-only">Flags for completion {props.letter}</legend>
          {COMPLETION_FLAGS.map((f) => (
            <label key={f.id} className="checkbox small">
              <input type="checkbox" checked={props.flags.includes(f.id)} onChange={() => props.onFlag(f.id)} />
              {f.label}
            </label>
          ))}
        </fieldset>
      </details>
    </li>
  );
}

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
  const [announce, setAnnounce] = useState('');
  const listRef = useRef<HTMLOListElement>(null);

  const letters = useMemo(() => {
    const m = new Map<number, string>();
    r.displayOrder.forEach((idx, pos) => m.set(idx, String.fromCharCode(65 + pos)));
    return m;
  }, [r.displayOrder]);
  const textOf = useMemo(() => new Map(r.completions.map((c) => [c.index, c.text])), [r.completions]);
  const tiers = toTiers(order, ties);
  const rankOf = new Map<number, number>();
  tiers.forEach((t, ti) => t.forEach((i) => rankOf.set(i, ti + 1)));

  const draft = useMemo<RankDraft>(() => ({ kind: 'RANKING', order, ties, touched, allBad, flags, likert, comment }), [order, ties, touched, allBad, flags, likert, comment]);

  const move = (index: number, delta: number) => {
    const pos = order.indexOf(index);
    const to = pos + delta;
    if (to < 0 || to >= order.length) return;
    setOrder(arrayMove(order, pos, to));
    setTies(ties.filter((t) => t !== index));
    setTouched(true);
    setAnnounce(`Completion ${letters.get(index)} moved to position ${to + 1} of ${order.length}.`);
    requestAnimationFrame(() => {
      const btn = listRef.current?.querySelector<HTMLButtonElement>(`[data-completion="${index}"] button[aria-label^="Move completion ${letters.get(index)} ${delta < 0 ? 'up' : 'down'}"]`);
      if (btn && !btn.disabled) btn.focus();
      else listRef.current?.querySelector<HTMLButtonElement>(`[data-completion="${index}"] button`)?.focus();
    });
  };
  const toggleTie = (index: number) => {
    if (order.indexOf(index) === 0) return;
    setTies(ties.includes(index) ? ties.filter((t) => t !== index) : [...ties, index]);
    setTouched(true);
  };
  const toggleFlag = (index: number, f: CompletionFlag) => {
    const cur = flags[String(index)] ?? [];
    setFlags({ ...flags, [String(index)]: cur.includes(f) ? cur.filter((x) => x !== f) : [...cur, f] });
  };
  const focusedIndex = (): number | null => {
    const el = (document.activeElement as HTMLElement | null)?.closest('[data-completion]');
    return el ? Number(el.getAttribute('data-completion')) : null;
  };

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates, keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] } }));
  const onDragEnd = (e: DragEndEvent) => {
    if (!e.over || e.active.id === e.over.id) return;
    const from = order.indexOf(Number(e.active.id));
    const to = order.indexOf(Number(e.over.id));
    const moved = Number(e.active.id);
    setOrder(arrayMove(order, from, to));
    setTies(ties.filter((t) => t !== moved));
    setTouched(true);
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
      keys={{
        'alt+arrowup': () => {
          const i = focusedIndex();
          if (i !== null) move(i, -1);
        },
        'alt+arrowdown': () => {
          const i = focusedIndex();
          if (i !== null) move(i, 1);
        },
        '=': () => {
          const i = focusedIndex();
          if (i !== null) toggleTie(i);
        },
        f: () => {
          const i = focusedIndex();
          if (i !== null) setOpenFlags(openFlags === i ? null : i);
        },
        b: () => setAllBad((b) => !b),
        o: () => setTouched(true),
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
            <ol className={styles.thread}>
              {r.context.map((m, i) => (
                <li key={i} className={m.role === 'USER' ? styles.turnUser : styles.turnAssistant}>
                  <span className={styles.turnRole}>{m.role === 'USER' ? 'User' : 'Assistant'}</span>
                  <Markdown>{m.text}</Markdown>
                </li>
              ))}
            </ol>
          ) : (
            <Markdown className={styles.prompt}>{view.prompt?.text ?? ''}</Markdown>
          )}
          <p className="muted small">
            {r.k} completions from {r.sourceModel}. Best at the top; tied completions share a rank.
          </p>
        </section>

        <section aria-labelledby="rank-h" className="stack-sm">
          <div className="row-between">
            <h2 id="rank-h">Your ranking (best first)</h2>
            <div className="row">
              {!touched && (
                <button type="button" className="btn btn-sm" onClick={() => setTouched(true)}>
                  Keep this order <kbd>O</kbd>
                </button>
              )}
              <span className="muted small">{touched ? `${tiers.length} rank${tiers.length > 1 ? 's' : ''}` : 'not ranked yet'}</span>
            </div>
          </div>
          <p className="sr-only" aria-live="assertive">
            {announce}
          </p>
          <DndContext
            sensors={sensors}
            collisionDetection={closestCenter}
            onDragEnd={onDragEnd}
            accessibility={{ announcements: { onDragStart: ({ active }) => `Picked up completion ${letters.get(Number(active.id))}.`, onDragOver: ({ active, over }) => (over ? `Completion ${letters.get(Number(active.id))} is over position ${order.indexOf(Number(over.id)) + 1}.` : ''), onDragEnd: ({ active, over }) => (over ? `Completion ${letters.get(Number(active.id))} dropped at position ${order.indexOf(Number(over.id)) + 1}.` : 'Dropped.'), onDragCancel: () => 'Drag cancelled.' } }}
          >
            <SortableContext items={order.map(String)} strategy={verticalListSortingStrategy}>
              <ol ref={listRef} className={styles.rankList} data-testid="ranking-list">
                {order.map((idx, pos) => (
                  <Card
                    key={idx}
                    index={idx}
                    letter={letters.get(idx)!}
                    text={textOf.get(idx) ?? ''}
                    rankLabel={`#${rankOf.get(idx)}`}
                    pos={pos}
                    count={order.length}
                    tied={pos > 0 && ties.includes(idx)}
                    flags={flags[String(idx)] ?? []}
                    flagsOpen={openFlags === idx}
                    onMove={(d) => move(idx, d)}
                    onTie={() => toggleTie(idx)}
                    onFlag={(f) => toggleFlag(idx, f)}
                    onFlagsOpen={(o) => setOpenFlags(o ? idx : openFlags === idx ? null : openFlags)}
                  />
                ))}
              </ol>
            </SortableContext>
          </DndContext>
        </section>
      </div>

      <section className="card stack" aria-label="Overall judgement">
        <label className="checkbox">
          <input type="checkbox" checked={allBad} onChange={(e) => setAllBad(e.target.checked)} />
          All completions are bad (none is acceptable) <kbd>B</kbd>
        </label>
        <fieldset className={styles.likert}>
          <legend>Overall quality of the best completion (1 = very poor, 7 = excellent)</legend>
          <div className="row">
            {Array.from({ length: LIKERT_MAX - LIKERT_MIN + 1 }, (_, i) => i + LIKERT_MIN).map((v) => (
              <label key={v} className={`checkbox ${styles.likertOption}`}>
                <input type="radio" name="likert" value={v} checked={likert === v} onChange={() => setLikert(v)} aria-label={`${v}${LIKERT_LABELS[v] ? ` (${LIKERT_LABELS[v]})` : ''}`} />
                {v}
              </label>
            ))}
            {likert !== null && (
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => setLikert(null)}>
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
