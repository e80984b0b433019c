'use client';
// The ordered list of cards people rank with: best first, by dragging (mouse, touch, or dnd-kit's
// keyboard drag: Space, arrows, Space), with Alt+↑/↓ or the Up/Down buttons, and "=" or a
// checkbox to tie a card with the one above it. Labelers rank completions with it and admins
// mark gold with it, so it knows nothing about tasks: items, an order, ties, and onChange.
import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS as DndCSS } from '@dnd-kit/utilities';
import { Markdown } from './markdown';
import styles from './sortable-ranking.module.css';

export type SortableItem = { id: string; letter: string; content: string };
export type RankingValue = { order: string[]; ties: string[] };

/** The keys a card handles itself; keys.ts lets them through from the card's controls. */
export const CARD_KEYS = ['=', 'alt+arrowup', 'alt+arrowdown'];

/** Groups the order into ranks: an id in `ties` shares the rank of the card above it. */
export function toTiers<T>(order: T[], ties: T[]): T[][] {
  const tiers: T[][] = [];
  order.forEach((id, pos) => {
    if (pos > 0 && ties.includes(id)) tiers[tiers.length - 1].push(id);
    else tiers.push([id]);
  });
  return tiers;
}

/** Moves `id` by `delta` places; a moved card leaves its tie. Null when it cannot move. */
export function moveItem(value: RankingValue, id: string, delta: number): RankingValue | null {
  const from = value.order.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= value.order.length) return null;
  return { order: arrayMove(value.order, from, to), ties: value.ties.filter((t) => t !== id) };
}

/** Ties `id` with the card above it, or unties it. The top card cannot be tied. */
export function toggleTie(value: RankingValue, id: string): RankingValue | null {
  if (value.order.indexOf(id) <= 0) return null;
  return { order: value.order, ties: value.ties.includes(id) ? value.ties.filter((t) => t !== id) : [...value.ties, id] };
}

type CardProps = {
  item: SortableItem;
  noun: string;
  rankLabel: string | null;
  pos: number;
  count: number;
  tied: boolean;
  disabled: boolean;
  shortcuts: string;
  badge?: ReactNode;
  footer?: ReactNode;
  onMove: (delta: number) => void;
  onTie: () => void;
  onKeyDown: (e: KeyboardEvent<HTMLLIElement>) => void;
};

function Card({ item, noun, rankLabel, pos, count, tied, disabled, shortcuts, badge, footer, onMove, onTie, onKeyDown }: CardProps) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: item.id, disabled });
  const style = { transform: DndCSS.Transform.toString(transform), transition };
  const titleId = `rank-card-${item.id}-title`;
  const name = `${noun} ${item.letter}`;
  return (
    <li
      ref={setNodeRef}
      style={style}
      className={`${styles.card} ${isDragging ? styles.dragging : ''} ${tied ? styles.tied : ''}`}
      data-item={item.id}
      data-shortcuts={shortcuts}
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
    >
      <div className={styles.head}>
        <button type="button" className={`btn btn-sm ${styles.handle}`} data-part="handle" {...attributes} {...listeners} aria-label={`Drag ${name}`} aria-roledescription="sortable">
          ⠿
        </button>
        <h3 id={titleId} className={styles.title}>
          {rankLabel && <span className={styles.rankNo}>{rankLabel}</span>} <span className="nowrap">{cap(noun)} {item.letter}</span>
          {badge}
        </h3>
        <div className={styles.controls}>
          <button type="button" className="btn btn-sm" data-part="up" onClick={() => onMove(-1)} disabled={disabled || pos === 0} aria-label={`Move ${name} up`}>
            ↑ Up
          </button>
          <button type="button" className="btn btn-sm" data-part="down" onClick={() => onMove(1)} disabled={disabled || pos === count - 1} aria-label={`Move ${name} down`}>
            ↓ Down
          </button>
          <label className="checkbox small">
            <input type="checkbox" checked={tied} disabled={disabled || pos === 0} onChange={onTie} aria-label={`${cap(noun)} ${item.letter} is tied with the one above`} />
            tie with above
          </label>
        </div>
      </div>
      <div className={styles.text}>
        <Markdown>{item.content}</Markdown>
      </div>
      {footer}
    </li>
  );
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function SortableRanking(props: {
  items: SortableItem[];
  order: string[];
  ties: string[];
  onChange: (next: RankingValue) => void;
  /** Show each card's rank (#1, #2…); off while nothing is ranked yet. Default on. */
  showRanks?: boolean;
  /** What a card is called in labels and announcements ("completion"). */
  noun?: string;
  disabled?: boolean;
  /** Extra keys the caller binds per card (e.g. "f"), let through from the card's controls. */
  cardKeys?: string[];
  renderBadge?: (id: string) => ReactNode;
  renderFooter?: (id: string) => ReactNode;
  testId?: string;
}) {
  const { items, order, ties, onChange, noun = 'completion', disabled = false } = props;
  const [announce, setAnnounce] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  const letter = (id: string) => byId.get(id)?.letter ?? id;
  const rankOf = new Map<string, number>();
  toTiers(order, ties).forEach((t, ti) => t.forEach((id) => rankOf.set(id, ti + 1)));
  const shortcuts = [...CARD_KEYS, ...(props.cardKeys ?? [])].join(' ');

  // Reordering moves the card's DOM node, which drops focus: put it back on the same control.
  const refocus = (id: string, part: string) =>
    requestAnimationFrame(() => {
      const card = listRef.current?.querySelector(`[data-item="${CSS.escape(id)}"]`);
      const want = card?.querySelector<HTMLButtonElement>(`[data-part="${part}"]`);
      (want && !want.disabled ? want : card?.querySelector<HTMLButtonElement>('[data-part="handle"]'))?.focus();
    });

  const move = (id: string, delta: number, part: string) => {
    const next = moveItem({ order, ties }, id, delta);
    if (!next) return;
    onChange(next);
    setAnnounce(`${cap(noun)} ${letter(id)} moved to position ${next.order.indexOf(id) + 1} of ${order.length}.`);
    refocus(id, part);
  };
  const tie = (id: string) => {
    const next = toggleTie({ order, ties }, id);
    if (!next) return;
    onChange(next);
    setAnnounce(`${cap(noun)} ${letter(id)} ${next.ties.includes(id) ? 'tied with' : 'no longer tied with'} the one above.`);
  };

  const onCardKey = (id: string) => (e: KeyboardEvent<HTMLLIElement>) => {
    if (disabled || e.defaultPrevented || e.ctrlKey || e.metaKey) return;
    const part = (e.target as HTMLElement).getAttribute('data-part') ?? 'handle';
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      move(id, e.key === 'ArrowUp' ? -1 : 1, part === 'handle' ? 'handle' : e.key === 'ArrowUp' ? 'up' : 'down');
    } else if (!e.altKey && e.key === '=' && !e.repeat) {
      e.preventDefault();
      tie(id);
    }
  };

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates, keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] } }),
  );
  const onDragEnd = (e: DragEndEvent) => {
    if (!e.over || e.active.id === e.over.id) return;
    const id = String(e.active.id);
    const to = order.indexOf(String(e.over.id));
    const next = moveItem({ order, ties }, id, to - order.indexOf(id));
    if (next) onChange(next);
  };
  const pos = (id: unknown) => order.indexOf(String(id)) + 1;

  return (
    <>
      <p className="sr-only" aria-live="assertive">
        {announce}
      </p>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={onDragEnd}
        accessibility={{
          announcements: {
            onDragStart: ({ active }) => `Picked up ${noun} ${letter(String(active.id))}.`,
            onDragOver: ({ active, over }) => (over ? `${cap(noun)} ${letter(String(active.id))} is over position ${pos(over.id)}.` : ''),
            onDragEnd: ({ active, over }) => (over ? `${cap(noun)} ${letter(String(active.id))} dropped at position ${pos(over.id)}.` : 'Dropped.'),
            onDragCancel: () => 'Drag cancelled.',
          },
        }}
      >
        <SortableContext items={order} strategy={verticalListSortingStrategy}>
          <ol ref={listRef} className={styles.list} data-testid={props.testId}>
            {order.map((id, i) => {
              const item = byId.get(id);
              if (!item) return null;
              return (
                <Card
                  key={id}
                  item={item}
                  noun={noun}
                  rankLabel={props.showRanks === false ? null : `#${rankOf.get(id)}`}
                  pos={i}
                  count={order.length}
                  tied={i > 0 && ties.includes(id)}
                  disabled={disabled}
                  shortcuts={shortcuts}
                  badge={props.renderBadge?.(id)}
                  footer={props.renderFooter?.(id)}
                  onMove={(d) => move(id, d, d < 0 ? 'up' : 'down')}
                  onTie={() => tie(id)}
                  onKeyDown={onCardKey(id)}
                />
              );
            })}
          </ol>
        </SortableContext>
      </DndContext>
    </>
  );
}
