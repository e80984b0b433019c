'use client';
// The start form of an arena evaluation: project, two or more of its checkpoints (policy, SFT,
// base), how many held-out prompts, votes per battle, a name. The server checks everything again
// (lib/data/arena/start-evaluation.ts); its refusals land on their fields and beside the button.
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import type { ArenaProjectOption } from '@/lib/data/arena/start-options';
import { ARENA_LIMITS } from '@/lib/shared/arena/start-input';
import { FieldError, FormStatus, useFieldErrors } from '@/app/_components/field-errors';

const KIND: Record<string, string> = { POLICY: 'policy', SFT: 'SFT', BASE: 'base' };

export function StartArenaForm({ projects }: { projects: ArenaProjectOption[] }) {
  const router = useRouter();
  const fe = useFieldErrors();
  const [projectId, setProjectId] = useState(projects[0]?.id ?? '');
  const project = projects.find((p) => p.id === projectId);
  const [chosen, setChosen] = useState<string[]>([]);
  const [prompts, setPrompts] = useState(String(ARENA_LIMITS.defaultPrompts));
  const [votes, setVotes] = useState('1');
  const [name, setName] = useState('');
  const [pending, setPending] = useState(false);

  const toggle = (id: string) => setChosen((cur) => (cur.includes(id) ? cur.filter((x) => x !== id) : [...cur, id]));
  const pairs = (chosen.length * (chosen.length - 1)) / 2;
  const promptCount = Math.min(Number(prompts) || 0, project?.heldOutPrompts ?? 0);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (chosen.length < 2) local.checkpointIds = 'Choose at least two checkpoints to compare.';
    if (!/^\d+$/.test(prompts.trim())) local.prompts = 'The number of prompts is a whole number.';
    if (!/^\d+$/.test(votes.trim())) local.votesPerBattle = 'Votes per battle is a whole number.';
    if (Object.keys(local).length) return fe.set(local);
    setPending(true);
    try {
      const body = { projectId, checkpointIds: chosen, prompts: Number(prompts), votesPerBattle: Number(votes), ...(name.trim() ? { name: name.trim() } : {}) };
      const res = await fetch('/api/arena', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = await res.json().catch(() => null);
      if (!res.ok) return fe.fromError(json?.error ?? { message: `Starting the evaluation failed (${res.status}).` });
      router.push(`/admin/arena/${json.evaluation.id}`);
    } finally {
      setPending(false);
    }
  };

  return (
    <form {...fe.formProps} onSubmit={(e) => void submit(e)} className="stack">
      <div className="form-grid">
        <div className="field">
          <label htmlFor="arena-project">Project</label>
          <select
            id="arena-project"
            className="select"
            value={projectId}
            onChange={(e) => {
              setProjectId(e.target.value);
              setChosen([]);
            }}
            {...fe.fieldProps('projectId')}
          >
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.heldOutPrompts} held-out prompts)
              </option>
            ))}
          </select>
          <FieldError form={fe} name="projectId" />
        </div>
        <div className="field">
          <label htmlFor="arena-name">Name (optional)</label>
          <input id="arena-name" className="input" value={name} maxLength={ARENA_LIMITS.nameChars} placeholder="the checkpoints' names" onChange={(e) => setName(e.target.value)} {...fe.fieldProps('name')} />
          <FieldError form={fe} name="name" />
        </div>
        <div className="field">
          <label htmlFor="arena-prompts">Prompts</label>
          <input id="arena-prompts" className="input" inputMode="numeric" value={prompts} onChange={(e) => setPrompts(e.target.value)} {...fe.fieldProps('prompts', 'arena-prompts-hint')} />
          <p id="arena-prompts-hint" className="small muted">
            1–{ARENA_LIMITS.prompts}, drawn from the validation and test splits.
          </p>
          <FieldError form={fe} name="prompts" />
        </div>
        <div className="field">
          <label htmlFor="arena-votes">Votes per battle</label>
          <input id="arena-votes" className="input" inputMode="numeric" value={votes} onChange={(e) => setVotes(e.target.value)} {...fe.fieldProps('votesPerBattle', 'arena-votes-hint')} />
          <p id="arena-votes-hint" className="small muted">
            1–{ARENA_LIMITS.votesPerBattle} different labelers per battle.
          </p>
          <FieldError form={fe} name="votesPerBattle" />
        </div>
      </div>
      <fieldset className="stack-sm" {...fe.fieldProps('checkpointIds')}>
        <legend>Checkpoints to compare (two or more)</legend>
        {project && project.checkpoints.length ? (
          <div className="stack-sm">
            {project.checkpoints.map((c) => (
              <label key={c.id} className="checkbox">
                <input type="checkbox" checked={chosen.includes(c.id)} onChange={() => toggle(c.id)} />
                <span>
                  {c.name} <span className="badge">{KIND[c.kind]}</span>
                  {c.active && <span className="badge badge-success">active</span>}
                  {c.status === 'FAILED_EVAL' && <span className="badge badge-danger">failed evaluation</span>}
                </span>
              </label>
            ))}
          </div>
        ) : (
          <p className="muted">This project has no policy, SFT or base checkpoint yet.</p>
        )}
        <FieldError form={fe} name="checkpointIds" />
      </fieldset>
      <p className="small muted" data-testid="arena-size">
        {chosen.length >= 2 ? `${pairs} pair(s) × ${promptCount} prompt(s) = ${pairs * promptCount} battles, ${pairs * promptCount * (Number(votes) || 0)} votes wanted.` : 'Choose two or more checkpoints.'}
      </p>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? 'Starting…' : 'Start evaluation'}
        </button>
        <FormStatus form={fe} />
      </div>
    </form>
  );
}
