'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';

export function PromoteButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <span className="stack-sm">
      <button
        className="btn btn-primary btn-sm"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          setError(null);
          const res = await fetch(`/api/checkpoints/${id}/promote`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
          setPending(false);
          if (!res.ok) setError((await res.json().catch(() => null))?.error?.message ?? `Failed (${res.status}).`);
          else router.refresh();
        }}
      >
        Promote {name}
      </button>
      {error && (
        <span role="alert" className="field-error small">
          {error}
        </span>
      )}
    </span>
  );
}
