'use client';
// Put each completion in a tier (1 = best; same tier = tie), then save the gold order.
import { useState } from 'react';
import { useRouter } from 'next/navigation';

type Props = { setId: string; completions: { index: number; text: string }[]; goldTiers: number[][] | null };

function initialTiers(completions: Props['completions'], gold: number[][] | null): Record<number, number> {
  const out: Record<number, number> = {};
  completions.forEach((c, i) => (out[c.index] = i + 1));
  gold?.forEach((tier, t) => tier.forEach((i) => (out[i] = t + 1)));
  return out;
}

export function GoldForm({ setId, completions, goldTiers }: Props) {
  const router = useRouter();
  const [tierOf, setTierOf] = useState(() => initialTiers(completions, goldTiers));
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const k = completions.length;

  const tiers = () => {
    const used = [...new Set(Object.values(tierOf))].sort((a, b) => a - b);
    return used.map((t) => completions.filter((c) => tierOf[c.index] === t).map((c) => c.index));
  };

  async function send(method: 'PUT' | 'DELETE') {
    setBusy(true);
    setStatus(null);
    try {
      const res = await fetch(`/api/gold/${setId}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'PUT' ? JSON.stringify({ tiers: tiers() }) : undefined,
      });
      const body = (await res.json()) as { error?: { message: string } };
      if (!res.ok) throw new Error(body.error?.message ?? `The server answered ${res.status}.`);
      setStatus({ kind: 'success', text: method === 'PUT' ? 'Gold order saved.' : 'Gold order removed.' });
      router.refresh();
    } catch (err) {
      setStatus({ kind: 'error', text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void send('PUT');
      }}
    >
      <ol start={0} className="stack-sm">
        {completions.map((c) => (
          <li key={c.index} className="row" style={{ alignItems: 'flex-start' }}>
            <div className="field" style={{ minWidth: '8rem' }}>
              <label htmlFor={`tier-${c.index}`}>Tier for #{c.index}</label>
              <select id={`tier-${c.index}`} className="select" value={tierOf[c.index]} onChange={(e) => setTierOf((m) => ({ ...m, [c.index]: Number(e.target.value) }))}>
                {Array.from({ length: k }, (_, t) => (
                  <option key={t} value={t + 1}>
                    {t + 1}
                    {t === 0 ? ' (best)' : ''}
                  </option>
                ))}
              </select>
            </div>
            <p style={{ whiteSpace: 'pre-wrap', flex: 1 }}>{c.text}</p>
          </li>
        ))}
      </ol>
      <p className="muted small">
        Order: <span className="mono">{tiers().map((t) => t.map((i) => `#${i}`).join(' = ')).join('  >  ')}</span>
      </p>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Save gold order
        </button>
        {goldTiers && (
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void send('DELETE')}>
            Remove gold order
          </button>
        )}
      </div>
      {status && (
        <div role={status.kind === 'error' ? 'alert' : 'status'} className={`alert alert-${status.kind}`}>
          {status.text}
        </div>
      )}
    </form>
  );
}
