'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { call } from '../api';

export function ArchiveButton({ projectId, archived }: { projectId: string; archived: boolean }) {
  const router = useRouter();
  const [err, setErr] = useState<string | null>(null);
  const toggle = async () => {
    const r = await call(`/api/projects/${projectId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ archived: !archived }) });
    if (!r.ok) setErr(r.error.message);
    else router.refresh();
  };
  return (
    <>
      <button type="button" className={`btn ${archived ? '' : 'btn-danger'}`} onClick={() => void toggle()}>
        {archived ? 'Unarchive' : 'Archive'}
      </button>
      {err && (
        <span role="alert" className="field-error">
          {err}
        </span>
      )}
    </>
  );
}
