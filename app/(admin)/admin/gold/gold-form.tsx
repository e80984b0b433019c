'use client';
// Mark a set's true order ("gold") with the same drag-and-drop cards labelers rank with: drag,
// keyboard drag (Space, arrows, Space), Alt+↑/↓ or Up/Down, and "tie with above". Saving
// refreshes the page's server data, so lists and badges show the new gold order at once.
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { SortableRanking, toTiers, type RankingValue } from '@/app/_components/sortable-ranking';

type Props = { setId: string; completions: { index: number; text: string }[]; goldTiers: number[][] | null };

const idOf = (index: number) => String(index);

function initial(completions: Props['completions'], gold: number[][] | null): RankingValue {
  if (!gold) return { order: completions.map((c) => idOf(c.index)), ties: [] };
  return { order: gold.flat().map(idOf), ties: gold.flatMap((tier) => tier.slice(1).map(idOf)) };
}

const orderText = (tiers: number[][]) => tiers.map((t) => t.map((i) => `#${i}`).join(' = ')).join(' > ');

export function GoldForm({ setId, completions, goldTiers }: Props) {
  const router = useRouter();
  const [value, setValue] = useState(() => initial(completions, goldTiers));
  // Nothing is gold until the admin orders the cards or says the shown order is right.
  const [touched, setTouched] = useState(goldTiers !== null);
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const tiers = toTiers(value.order, value.ties).map((t) => t.map(Number));
  const items = completions.map((c) => ({ id: idOf(c.index), letter: `#${c.index}`, content: c.text }));

  async function send(method: 'PUT' | 'DELETE') {
    if (method === 'PUT' && !touched) {
      setStatus({ kind: 'error', text: 'Put the completions in their true order first (drag a card, Alt+↑/↓ or the Up/Down buttons), or press “Keep this order” if the order shown is right.' });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const res = await fetch(`/api/gold/${encodeURIComponent(setId)}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'PUT' ? JSON.stringify({ tiers }) : undefined,
      });
      const body = (await res.json().catch(() => ({}))) as { error?: { message: string } };
      if (!res.ok) throw new Error(body.error?.message ?? `The server answered ${res.status}; try again.`);
      if (method === 'DELETE') {
        setValue(initial(completions, null));
        setTouched(false);
      }
      setStatus({ kind: 'success', text: method === 'PUT' ? `Gold order saved: ${orderText(tiers)}.` : 'Gold order removed.' });
      router.refresh();
    } catch (err) {
      const message = (err as Error).message;
      setStatus({ kind: 'error', text: message === 'Failed to fetch' ? 'The server could not be reached; check your connection and save again.' : message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="stack"
      aria-label="Gold order"
      onSubmit={(e) => {
        e.preventDefault();
        void send('PUT');
      }}
    >
      <p className="muted small">Best first. Drag a card by its ⠿ handle (or focus the handle and press Space, the arrow keys, then Space), use Alt+↑/↓ or the Up/Down buttons, and tick “tie with above” for equally good completions.</p>
      <SortableRanking
        items={items}
        order={value.order}
        ties={value.ties}
        onChange={(next) => {
          setValue(next);
          setTouched(true);
          setStatus(null);
        }}
        showRanks={touched}
        disabled={busy}
        testId="gold-ranking"
      />
      <p className="small" aria-live="polite">
        {touched ? (
          <>
            Gold order to save: <span className="mono">{orderText(tiers)}</span>
          </>
        ) : (
          <span className="muted">Not ordered yet.</span>
        )}
      </p>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save gold order'}
        </button>
        {!touched && (
          <button type="button" className="btn" disabled={busy} onClick={() => (setTouched(true), setStatus(null))}>
            Keep this order
          </button>
        )}
        {goldTiers && (
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void send('DELETE')}>
            Remove gold order
          </button>
        )}
        {status && (
          <span role={status.kind === 'error' ? 'alert' : 'status'} className={`alert alert-${status.kind}`} data-testid="gold-status">
            {status.text}
          </span>
        )}
      </div>
    </form>
  );
}
