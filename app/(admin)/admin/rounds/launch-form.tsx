'use client';
// The launch form: project, start checkpoint (whose model the round trains; the preset only
// shapes a new base), the data (frozen now, or an earlier round's snapshot), stages (PPO or DPO),
// and every stage setting with its default for that model (the
// schemas of lib/shared/stage-config with the sizing of lib/shared/model-sizing). Below, an
// estimate per stage on the live train workers' measured capacity; Launch is disabled when a
// stage cannot fit. Below that, the pre-flight check of the project's data against this model
// and these settings. Settings the model cannot honour (a length beyond its context) are marked
// on their field as they are typed. Only changed settings are sent; the server validates them with
// the same schemas and checks, and its errors land on their fields and beside the button
// (app/_components/field-errors.tsx: marked, described, scrolled to, cleared on change).
import { useMemo, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { LaunchOptions, StartCheckpoint } from '@/lib/data/rounds/launch-options';
import { DPO_LOSS_TYPES, STAGE_CONFIG_SCHEMAS, modelLimitProblems, stageDefaults, type StageConfigs, type StageKey } from '@/lib/shared/stage-config';
import { PRESET_SHAPES, describeShape, type ModelShape } from '@/lib/shared/model-shape';
import { explainNoFit, formatBytes, formatCount, formatSeconds, planOnWorkers, sizedStageDefaults, type SizedStage, type WorkerPlan } from '@/lib/shared/model-sizing';
import { PreflightPanel, usePreflight } from './_components/preflight-panel';
import styles from './rounds.module.css';
import { FieldError, FormStatus, useFieldErrors } from '@/app/_components/field-errors';
import { describedBy } from '@/app/_components/field-errors-map';

const SCHEMA_DEFAULTS = stageDefaults() as Record<string, Record<string, unknown>>;

/** Every stage's defaults for a model: the schema's, with the sized ones on top. */
function defaultsFor(shape: ModelShape | null): Record<string, Record<string, unknown>> {
  if (!shape) return SCHEMA_DEFAULTS;
  const sized = sizedStageDefaults(shape) as Record<string, Record<string, unknown>>;
  return Object.fromEntries(Object.entries(SCHEMA_DEFAULTS).map(([k, d]) => [k, { ...d, ...(sized[k] ?? {}) }]));
}

const OPTIONAL = ['sft', 'rm', 'ppo', 'dpo'] as const;
const STAGE_TITLE: Record<string, string> = { pretrain: 'Base pretraining (only when starting a new base)', sft: 'SFT', rm: 'Reward model', ppo: 'PPO', dpo: 'DPO', evaluate: 'Evaluate' };
/** PPO and DPO both train the round's policy from the SFT model: ticking one unticks the other. */
const ALTERNATIVE: Record<string, string> = { ppo: 'dpo', dpo: 'ppo' };
/** Fields picked from a list rather than typed. */
const CHOICES: Record<string, readonly string[]> = { 'dpo.lossType': DPO_LOSS_TYPES };
/** A line above a stage's settings, for the ones whose meaning is not in their name. */
const STAGE_NOTE: Record<string, string> = {
  dpo: 'β: how far the policy may move from the SFT model it starts from (its reference): smaller moves further (TRL uses 0.1). lossType: sigmoid is DPO, ipo is IPO. labelSmoothing: the share of preferences assumed wrong (cDPO, sigmoid only; 0 = plain DPO).',
};

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
  const [snapshotId, setSnapshotId] = useState('');
  const [values, setValues] = useState<Record<string, Record<string, string>>>({});
  // Fields are named by the paths the API's error details use (settings.sft.maxLength).
  const fe = useFieldErrors();
  const [pending, setPending] = useState(false);
  const [open, setOpen] = useState<Record<string, boolean>>({});

  // What the round starts from, as the server resolves it: a checkpoint (its model), or a new base.
  const startCk: StartCheckpoint | null = useMemo(() => {
    if (!project || start === 'new') return null;
    if (start === 'active' || start === 'auto') return project.activePolicy ?? (start === 'auto' ? (project.checkpoints.find((c) => c.kind === 'BASE') ?? null) : null);
    return project.checkpoints.find((c) => c.id === start) ?? null;
  }, [project, start]);
  const newBase = !startCk;
  const shape: ModelShape | null = startCk ? startCk.shape : (PRESET_SHAPES[preset as keyof typeof PRESET_SHAPES] ?? null);
  const DEFAULTS = useMemo(() => defaultsFor(shape), [shape]);

  const shown = useMemo(() => Object.keys(DEFAULTS).filter((k) => k === 'evaluate' || (k === 'pretrain' ? newBase : stages.includes(k))), [DEFAULTS, stages, newBase]);

  // The settings the round would run with (defaults of this model + what was typed), per stage;
  // a stage whose typed values do not parse is left out (the server names the field).
  const resolved = useMemo(() => {
    const out: Partial<StageConfigs> = {};
    for (const k of Object.keys(STAGE_CONFIG_SCHEMAS) as StageKey[]) {
      const merged: Record<string, unknown> = { ...DEFAULTS[k] };
      for (const [f, raw] of Object.entries(values[k] ?? {})) merged[f] = parseValue(raw, DEFAULTS[k]?.[f]);
      const r = STAGE_CONFIG_SCHEMAS[k].safeParse(merged);
      if (r.success) (out as Record<string, unknown>)[k] = r.data;
    }
    return out;
  }, [DEFAULTS, values]);
  const planned: SizedStage[] = [...(newBase ? (['pretrain'] as const) : []), ...(['sft', 'rm', 'ppo', 'dpo'] as const).filter((s) => stages.includes(s))];
  const estimable = planned.filter((s) => resolved[s]);
  const plan: WorkerPlan | null =
    shape && estimable.length === planned.length ? planOnWorkers(shape, { ...stageDefaults(), ...resolved } as StageConfigs, planned, options.workers, { rankingK: project?.k }) : null;
  const blockedWhy = plan?.blocked.length ? plan.blocked.map((e) => explainNoFit(e, plan.worker)).join(' ') : null;

  // Settings this model cannot honour, checked as they are typed (the launch API refuses the same).
  const runKeys: StageKey[] = [...planned, 'evaluate'];
  const limitProblems = shape && estimable.length === planned.length ? modelLimitProblems(shape.nPositions, resolved, runKeys) : [];
  const fieldErrors: Record<string, string> = { ...fe.state.fields };
  for (const p of limitProblems) fieldErrors[p.path] ??= p.message;
  const faultyStages = new Set(Object.keys(fieldErrors).map((p) => p.split('.')[1]));

  /** The request as it stands: only settings that differ from this model's defaults. */
  const body = useMemo(() => {
    const settings: Record<string, Record<string, unknown>> = {};
    for (const [stage, fields] of Object.entries(values)) {
      for (const [field, raw] of Object.entries(fields)) {
        const def = DEFAULTS[stage]?.[field];
        if (raw === String(def) || (def === null && raw.trim() === '')) continue;
        (settings[stage] ??= {})[field] = parseValue(raw, def);
      }
    }
    // The preset only matters for a new base; a checkpoint brings its own model.
    return { projectId, start, ...(newBase ? { preset } : {}), stages, settings, ...(snapshotId ? { snapshotId } : {}) };
  }, [values, DEFAULTS, projectId, start, newBase, preset, stages, snapshotId]);
  const preflight = usePreflight(projectId && estimable.length === planned.length && planned.length ? body : null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    // Settings the model cannot honour never leave the page: marked, scrolled to, said beside the button.
    if (limitProblems.length) return fe.set(Object.fromEntries(limitProblems.map((p) => [p.path, p.message])));
    fe.clear();
    setPending(true);
    try {
      const res = await fetch('/api/rounds', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = await res.json().catch(() => ({}));
      if (!res.ok) return fe.fromError(json?.error ?? { message: `Launch failed (${res.status}).` });
      router.push(`/admin/rounds/${json.round.id}`);
    } catch (err) {
      fe.set({}, `Launch failed: ${(err as Error).message}`);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Launch a round" {...fe.formProps}>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="launch-project">Project</label>
          <select
            id="launch-project"
            className="select"
            value={projectId}
            onChange={(e) => {
              setProjectId(e.target.value);
              setSnapshotId(''); // snapshots belong to one project
            }}
            {...fe.fieldProps('projectId')}
          >
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
          <FieldError form={fe} name="projectId" />
        </div>
        <div className="field">
          <label htmlFor="launch-start">Start from</label>
          <select id="launch-start" className="select" value={start} onChange={(e) => setStart(e.target.value)} {...fe.fieldProps('start')}>
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
          <FieldError form={fe} name="start" />
        </div>
        {newBase ? (
          <div className="field">
            <label htmlFor="launch-preset">Model preset</label>
            <select id="launch-preset" className="select" value={preset} onChange={(e) => setPreset(e.target.value)} {...fe.fieldProps('preset')}>
              {options.scratchPresets.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
            <p className="hint">
              The new base: {shape ? describeShape(shape) : preset}. nano trains in seconds, small in minutes. For GPT-2, register a base on{' '}
              <a href="/admin/checkpoints">Checkpoints</a> and start from it.
            </p>
            <FieldError form={fe} name="preset" />
          </div>
        ) : (
          <div className="field">
            <span className="label">Model</span>
            <p className="mono small" data-testid="start-model">
              {startCk?.preset}
            </p>
            <p className="hint">{shape ? describeShape(shape) : 'unknown shape'}: the round trains the start checkpoint&apos;s model.</p>
          </div>
        )}
        <div className="field">
          <label htmlFor="launch-snapshot">Data</label>
          <select id="launch-snapshot" className="select" value={snapshotId} onChange={(e) => setSnapshotId(e.target.value)} {...fe.fieldProps('snapshotId')}>
            <option value="">The project&apos;s data as it is at launch (frozen then)</option>
            {project?.snapshots.map((x) => (
              <option key={x.id} value={x.id}>
                Round {x.rounds.join(', ')}&apos;s snapshot ({x.sha256.slice(0, 8)}, {x.rowCount} items)
              </option>
            ))}
          </select>
          <p className="hint">Reuse an earlier round&apos;s snapshot to train another method on exactly the same data.</p>
          <FieldError form={fe} name="snapshotId" />
        </div>
        <fieldset className="field">
          <legend className="label">Stages</legend>
          <div className="row">
            {OPTIONAL.map((s) => (
              <label key={s} className="checkbox">
                <input
                  type="checkbox"
                  checked={stages.includes(s)}
                  onChange={(e) => setStages((cur) => (e.target.checked ? [...cur.filter((x) => x !== ALTERNATIVE[s]), s] : cur.filter((x) => x !== s)))}
                />{' '}
                {s}
              </label>
            ))}
          </div>
          <p className="hint">Evaluate and publish always run. PPO or DPO trains the policy: PPO against the reward model (rm), DPO straight from the rankings (an rm stage beside it only evaluates).</p>
          <FieldError form={fe} name="stages" />
        </fieldset>
      </div>
      {shown.map((stage) => (
        <details
          key={stage}
          className="card card-muted"
          open={!!open[stage] || faultyStages.has(stage)}
          onToggle={(e) => {
            const isOpen = (e.currentTarget as HTMLDetailsElement).open;
            setOpen((o) => (o[stage] === isOpen ? o : { ...o, [stage]: isOpen }));
          }}
        >
          <summary>
            Settings: {STAGE_TITLE[stage] ?? stage}
            {faultyStages.has(stage) && <span className={styles.needsFix}> · needs a fix</span>}
          </summary>
          {STAGE_NOTE[stage] && <p className="hint">{STAGE_NOTE[stage]}</p>}
          <div className="form-grid" style={{ marginTop: 8 }}>
            {Object.entries(DEFAULTS[stage]).map(([field, def]) => {
              const path = `settings.${stage}.${field}`;
              const id = `set-${stage}-${field}`;
              const v = values[stage]?.[field] ?? (def === null ? '' : String(def));
              // The server's message until the field changes (fe clears it), else the model's limit as typed.
              const message = fieldErrors[path];
              const marks = { ...fe.fieldProps(path), 'aria-invalid': message ? (true as const) : undefined, 'aria-describedby': describedBy(`${id}-hint`, message && fe.errorId(path)) };
              const set = (raw: string) => setValues((cur) => ({ ...cur, [stage]: { ...cur[stage], [field]: raw } }));
              return (
                <div className="field" key={field}>
                  <label htmlFor={id} className="mono small">
                    {stage}.{field}
                  </label>
                  {typeof def === 'boolean' || CHOICES[`${stage}.${field}`] ? (
                    <select id={id} className="select" value={v} onChange={(e) => set(e.target.value)} {...marks}>
                      {(CHOICES[`${stage}.${field}`] ?? ['true', 'false']).map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input id={id} className="input" inputMode="decimal" value={v} onChange={(e) => set(e.target.value)} {...marks} />
                  )}
                  <p className="hint" id={`${id}-hint`}>
                    default {def === null ? 'empty' : String(def)}
                  </p>
                  {message && (
                    <p className="field-error" id={fe.errorId(path)}>
                      {message}
                    </p>
                  )}
                </div>
              );
            })}
          </div>
        </details>
      ))}
      <PreflightPanel state={preflight} />
      <EstimateTable plan={plan} planned={planned} workers={options.workers.length} live={options.liveTrainWorkers} />
      {blockedWhy && (
        <div className="alert alert-error" role="status">
          Cannot launch: {blockedWhy}
        </div>
      )}
      <div className={styles.launchRow}>
        <button type="submit" className="btn btn-primary" disabled={pending || !projectId || !!blockedWhy} title={blockedWhy ?? undefined} aria-describedby={fe.state.form ? fe.formErrorId : undefined}>
          {pending ? 'Launching…' : 'Launch round'}
        </button>
        <FormStatus form={fe} warning={preflight.report && !preflight.report.ok ? 'The pre-flight check above finds a problem: this launch would be refused.' : null} />
      </div>
    </form>
  );
}

/** Per stage: tokens, estimated time and peak memory on the worker with the most memory, and whether it fits. */
function EstimateTable({ plan, planned, workers, live }: { plan: WorkerPlan | null; planned: SizedStage[]; workers: number; live: number }) {
  const w = plan?.worker;
  return (
    <section className="card card-muted" aria-labelledby="estimate-title">
      <h3 id="estimate-title" className="card-title">
        Estimate
      </h3>
      <p className="hint">
        {w
          ? `On ${w.hostname} (${w.backend ?? 'backend unknown'}: ${w.capacity.gflops.toFixed(1)} GFLOP/s measured, ${w.capacity.memoryBytes === null ? 'memory unknown' : `${formatBytes(w.capacity.memoryBytes)} memory`})${workers > 1 ? `, the largest of ${workers} train workers` : ''}. A model of the trainers, not a measurement: expect ±2×; time assumes rows fill maxLength.`
          : live
            ? 'No worker has reported its capacity yet: no time estimate, and the plan is not checked against memory.'
            : 'No train worker is running (start one with npm run worker): no time estimate, and the plan is not checked against memory.'}
      </p>
      {!plan ? (
        <p className="muted small">{planned.length ? 'Fix the settings above to see the estimate.' : 'No training stage selected.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Estimate per stage">
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Tokens</th>
                <th scope="col">FLOPs</th>
                <th scope="col">Est. time</th>
                <th scope="col">Est. peak memory</th>
                <th scope="col">Fits</th>
              </tr>
            </thead>
            <tbody>
              {plan.stages.map((e) => (
                <tr key={e.stage}>
                  <th scope="row">{e.stage}</th>
                  <td>{formatCount(e.tokens)}</td>
                  <td>{formatCount(e.flops)}</td>
                  <td>{e.seconds === null ? '—' : formatSeconds(e.seconds)}</td>
                  <td title={`weights ${formatBytes(e.memory.weights)}, gradients and Adam ${formatBytes(e.memory.optimizer)}, ${e.memory.activationsOf} ${formatBytes(e.memory.activations)}`}>
                    {formatBytes(e.memory.total)}
                    <div className="muted small">{e.memory.activationsOf}</div>
                  </td>
                  <td>
                    {e.fits === null ? (
                      <span className="badge badge-muted">unknown</span>
                    ) : e.fits ? (
                      <span className="badge badge-success">fits</span>
                    ) : (
                      <span className="badge badge-danger">does not fit</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
