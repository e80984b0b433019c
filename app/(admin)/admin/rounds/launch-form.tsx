'use client';
// The launch form: project, start checkpoint, preset, stages, and every stage setting with its
// default shown (from lib/shared/stage-config, the schemas the trainers run with). Only changed
// settings are sent; the server validates them with the same schemas and its message is shown.
import { useMemo, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { LaunchOptions } from '@/lib/data/rounds/launch-options';
import { stageDefaults } from '@/lib/shared/stage-config';

const DEFAULTS = stageDefaults() as Record<string, Record<string, unknown>>;

const OPTIONAL = ['sft', 'rm', 'ppo'] as const;
const STAGE_TITLE: Record<string, string> = { pretrain: 'Base pretraining (only when starting a new base)', sft: 'SFT', rm: 'Reward model', ppo: 'PPO', evaluate: 'Evaluate' };

function parseValue(raw: string, def: unknown): unknown {
  if (typeof def === 'boolean') return raw === 'true';
  if (raw.trim() === '' || raw.trim() === 'null') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : raw;
}

export function LaunchForm({ options }: { options: LaunchOptions }) {
  const router = useRouter();
  const [projectId, setProjectId] = useState(options.projects[0]?.id ?? '');
  const project = options.projects.find((p) => p.id === projectId);
  const [start, setStart] = useState('auto');
  const [preset, setPreset] = useState('nano');
  const [stages, setStages] = useState<string[]>(['sft', 'rm', 'ppo']);
  const [values, setValues] = useState<Record<string, Record<string, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const shown = useMemo(() => Object.keys(DEFAULTS).filter((k) => k === 'evaluate' || k === 'pretrain' || stages.includes(k)), [stages]);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setPending(true);
    const settings: Record<string, Record<string, unknown>> = {};
    for (const [stage, fields] of Object.entries(values)) {
      for (const [field, raw] of Object.entries(fields)) {
        const def = DEFAULTS[stage]?.[field];
        if (raw === String(def)) continue;
        (settings[stage] ??= {})[field] = parseValue(raw, def);
      }
    }
    try {
      const res = await fetch('/api/rounds', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ projectId, start, preset, stages, settings }) });
      const body = await res.json();
      if (!res.ok) {
        setError(body?.error?.message ?? `Launch failed (${res.status}).`);
        return;
      }
      router.push(`/admin/rounds/${body.round.id}`);
    } catch (err) {
      setError(`Launch failed: ${(err as Error).message}`);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Launch a round" noValidate>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="launch-project">Project</label>
          <select id="launch-project" className="select" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
            {options.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          {project && (
            <p className="hint">
              {project.demonstrations} demonstrations · {project.conversations} dialogues · {project.judgements} rankings · {project.prompts} prompts
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="launch-start">Start from</label>
          <select id="launch-start" className="select" value={start} onChange={(e) => setStart(e.target.value)}>
            <option value="auto">Automatic</option>
            {project?.activePolicy && <option value="active">Active policy ({project.activePolicy.name})</option>}
            <option value="new">A new base, pretrained on the project&apos;s text</option>
            {project?.checkpoints.map((c) => (
              <option key={c.id} value={c.id}>
                {c.kind} {c.name} ({c.preset})
              </option>
            ))}
          </select>
          <p className="hint">Automatic: the active policy, else the latest base, else a new base pretrained on the project&apos;s text.</p>
        </div>
        <div className="field">
          <label htmlFor="launch-preset">Model preset</label>
          <select id="launch-preset" className="select" value={preset} onChange={(e) => setPreset(e.target.value)}>
            {options.presets.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <p className="hint">nano trains in seconds; small (~3M parameters) in minutes; gpt2 needs a GPT-2 base checkpoint.</p>
        </div>
        <fieldset className="field">
          <legend className="label">Stages</legend>
          <div className="row">
            {OPTIONAL.map((s) => (
              <label key={s} className="checkbox">
                <input type="checkbox" checked={stages.includes(s)} onChange={(e) => setStages((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))} /> {s}
              </label>
            ))}
          </div>
          <p className="hint">Evaluate and publish always run.</p>
        </fieldset>
      </div>
      {shown.map((stage) => (
        <details key={stage} className="card card-muted">
          <summary>Settings: {STAGE_TITLE[stage] ?? stage}</summary>
          <div className="form-grid" style={{ marginTop: 8 }}>
            {Object.entries(DEFAULTS[stage]).map(([field, def]) => {
              const id = `set-${stage}-${field}`;
              const v = values[stage]?.[field] ?? String(def);
              const set = (raw: string) => setValues((cur) => ({ ...cur, [stage]: { ...cur[stage], [field]: raw } }));
              return (
                <div className="field" key={field}>
                  <label htmlFor={id} className="mono small">
                    {stage}.{field}
                  </label>
                  {typeof def === 'boolean' ? (
                    <select id={id} className="select" value={v} onChange={(e) => set(e.target.value)}>
                      <option value="true">true</option>
                      <option value="false">false</option>
                    </select>
                  ) : (
                    <input id={id} className="input" inputMode="decimal" value={v} onChange={(e) => set(e.target.value)} />
                  )}
                  <p className="hint">default {String(def)}</p>
                </div>
              );
            })}
          </div>
        </details>
      ))}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={pending || !projectId}>
          {pending ? 'Launching…' : 'Launch round'}
        </button>
      </div>
    </form>
  );
}
