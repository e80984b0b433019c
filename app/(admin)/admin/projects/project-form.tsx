'use client';
// Create or edit a project's settings: name, description, K, overlap, task mix, lease, sampling,
// and (on create) the first guidelines.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { K_MAX, K_MIN } from '@/lib/shared/labeling';
import { SAMPLING_DEFAULTS, SAMPLING_LIMITS, type SamplingParams } from '@/lib/shared/sampling';
import { COLLECTION_DEFAULTS, COLLECTION_LIMITS as CL, LIKERT_MODES, LIKERT_MODE_LABEL, SUGGEST_MODES, SUGGEST_MODE_LABEL, type LikertMode, type SuggestMode } from '@/lib/shared/collection';
import { FieldError, FormStatus, useFieldErrors } from '@/app/_components/field-errors';
import { call } from './api';
import styles from './projects.module.css';

export type ProjectFields = {
  name: string;
  description: string;
  k: number;
  overlap: number;
  mixDemonstration: number;
  mixDialogue: number;
  mixRanking: number;
  leaseMinutes: number;
  autoPromote: boolean;
  samplingParams: SamplingParams;
  contextRate: number;
  suggestMode: SuggestMode;
  editPairWeight: number;
  goldShare: number;
  goldMinAccuracy: number;
  likertMode: LikertMode;
};

const DEFAULTS: ProjectFields = {
  name: '',
  description: '',
  k: 4,
  overlap: 3,
  mixDemonstration: 1,
  mixDialogue: 1,
  mixRanking: 1,
  leaseMinutes: 30,
  autoPromote: false,
  samplingParams: { ...SAMPLING_DEFAULTS },
  ...COLLECTION_DEFAULTS,
};
const S = SAMPLING_LIMITS;
type NumberKey = { [K in keyof ProjectFields]: ProjectFields[K] extends number ? K : never }[keyof ProjectFields];

export function ProjectForm({ projectId, initial }: { projectId?: string; initial?: ProjectFields }) {
  const router = useRouter();
  const [f, setF] = useState<ProjectFields>(initial ?? DEFAULTS);
  const [guidelines, setGuidelines] = useState('');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const fe = useFieldErrors();

  const numberField = (path: string, id: string, label: string, value: number, set: (v: number) => void, props: { min: number; max: number; step?: number }, hint?: string) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        className="input"
        value={Number.isNaN(value) ? '' : String(value)}
        onChange={(e) => set(e.target.value === '' ? Number.NaN : Number(e.target.value))}
        {...fe.fieldProps(path, `${id}-hint`)}
        {...props}
      />
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldError form={fe} name={path} />
    </div>
  );
  const num = (k: NumberKey, label: string, props: { min: number; max: number; step?: number }, hint?: string) =>
    numberField(k, `p-${k}`, label, f[k], (v) => setF({ ...f, [k]: v }), props, hint);
  const samp = (k: keyof SamplingParams, label: string, props: { min: number; max: number; step?: number }, hint: string) =>
    numberField(`samplingParams.${k}`, `p-${k}`, label, f.samplingParams[k], (v) => setF({ ...f, samplingParams: { ...f.samplingParams, [k]: v } }), props, hint);

  // The browser's number box gives '' for "abc" or an empty box: say so here, in words, rather
  // than sending a 0 the server would accept or a null it would word as "must be a number".
  const emptyNumbers = (): Record<string, string> => {
    const out: Record<string, string> = {};
    const labels: [string, number, string][] = [
      ['k', f.k, 'K'],
      ['overlap', f.overlap, 'Overlap'],
      ['leaseMinutes', f.leaseMinutes, 'Lease'],
      ['mixDemonstration', f.mixDemonstration, 'The demonstrations weight'],
      ['mixDialogue', f.mixDialogue, 'The dialogues weight'],
      ['mixRanking', f.mixRanking, 'The rankings weight'],
      ['samplingParams.temperature', f.samplingParams.temperature, 'Temperature'],
      ['samplingParams.topP', f.samplingParams.topP, 'Top-p'],
      ['samplingParams.maxTokens', f.samplingParams.maxTokens, 'Max tokens'],
      ['samplingParams.maxPrompts', f.samplingParams.maxPrompts, 'Prompts per promotion'],
      ['samplingParams.bestOf', f.samplingParams.bestOf, 'Best of n'],
      ['contextRate', f.contextRate, 'The share of model turns compared in context'],
      ['editPairWeight', f.editPairWeight, 'The weight of edited suggestions'],
      ['goldShare', f.goldShare, 'The share of gold tasks'],
      ['goldMinAccuracy', f.goldMinAccuracy, 'The gold accuracy threshold'],
    ];
    for (const [path, value, label] of labels) if (Number.isNaN(value)) out[path] = `${label} needs a number.`;
    return out;
  };

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(null);
    fe.clear();
    const local = { ...(f.name.trim() ? {} : { name: 'Enter a name for the project.' }), ...emptyNumbers() };
    if (Object.keys(local).length) return fe.set(local);
    setBusy(true);
    const body = projectId ? f : { ...f, guidelines };
    const r = await call<{ project: { id: string } }>(projectId ? `/api/projects/${projectId}` : '/api/projects', {
      method: projectId ? 'PATCH' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    setBusy(false);
    if (!r.ok) return fe.fromError(r.error);
    if (projectId) {
      setSaved('Settings saved.');
      router.refresh();
    } else router.push(`/admin/projects/${r.data.project.id}`);
  };

  return (
    <form {...fe.formProps} onSubmit={save} className="stack" aria-label={projectId ? 'Project settings' : 'Create a project'}>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="p-name">Name</label>
          <input id="p-name" className="input" value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} required maxLength={120} {...fe.fieldProps('name')} />
          <FieldError form={fe} name="name" />
        </div>
        <div className="field">
          <label htmlFor="p-description">Description</label>
          <input id="p-description" className="input" value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} maxLength={2000} {...fe.fieldProps('description')} />
          <FieldError form={fe} name="description" />
        </div>
      </div>
      <div className={styles.numbers}>
        {num('k', 'K (completions per ranking)', { min: K_MIN, max: K_MAX }, `${K_MIN}–${K_MAX}`)}
        {num('overlap', 'Overlap (judgements per set)', { min: 1, max: 20 }, 'labelers who rank each set')}
        {num('leaseMinutes', 'Lease (minutes)', { min: 1, max: 1440 }, 'a task returns to the pool after this')}
        {num('mixDemonstration', 'Mix: demonstrations', { min: 0, max: 1000, step: 0.1 }, 'weight; 0 = none')}
        {num('mixDialogue', 'Mix: dialogues', { min: 0, max: 1000, step: 0.1 }, 'weight; 0 = none')}
        {num('mixRanking', 'Mix: rankings', { min: 0, max: 1000, step: 0.1 }, 'weight; 0 = none')}
      </div>
      <fieldset className="stack-sm">
        <legend>Sampling</legend>
        <p className="hint">How the active policy writes the K completions of each new ranking task.</p>
        <div className={styles.numbers}>
          {samp('temperature', 'Temperature', { min: S.temperature.min, max: S.temperature.max, step: 0.05 }, `above ${S.temperature.min}, at most ${S.temperature.max}; higher gives more varied completions`)}
          {samp('topP', 'Top-p', { min: S.topP.min, max: S.topP.max, step: 0.01 }, `above ${S.topP.min}, at most ${S.topP.max}; samples only from the most likely tokens whose probabilities add up to this (1 = all)`)}
          {samp('maxTokens', 'Max tokens per completion', { min: S.maxTokens.min, max: S.maxTokens.max }, `${S.maxTokens.min}–${S.maxTokens.max}; the longest a completion may be`)}
          {samp('maxPrompts', 'Prompts sampled per promotion', { min: S.maxPrompts.min, max: S.maxPrompts.max }, `${S.maxPrompts.min}–${S.maxPrompts.max}; at most this many not-yet-sampled prompts per promotion or prompt import`)}
          {samp('bestOf', 'Best of n', { min: S.bestOf.min, max: S.bestOf.max }, `${S.bestOf.min}–${S.bestOf.max}; each completion is the reward model's favourite of this many samples (1 = off; needs a reward model of the policy's round or preset)`)}
        </div>
      </fieldset>
      <fieldset className="stack-sm">
        <legend>Collection</legend>
        <p className="hint">Comparisons inside conversations, model suggestions while writing, edits as preferences, gold honeypots and ratings.</p>
        <div className={styles.numbers}>
          {num('contextRate', 'Model turns compared in context', { min: CL.contextRate.min, max: CL.contextRate.max, step: 0.05 }, '0–1: the share of model-written replies in a submitted dialogue that get a ranking of K alternatives in that conversation')}
          {num('editPairWeight', 'Weight of edited suggestions', { min: CL.editPairWeight.min, max: CL.editPairWeight.max, step: 0.1 }, '0–10: an edited suggestion trains the reward model as "edit better than suggestion" with this weight; 0 = not used')}
          {num('goldShare', 'Share of gold tasks', { min: CL.goldShare.min, max: CL.goldShare.max, step: 0.01 }, '0–0.5: of each labeler\'s rankings, this share are gold sets (0.05 = 1 in 20)')}
          {num('goldMinAccuracy', 'Gold accuracy threshold', { min: CL.goldMinAccuracy.min, max: CL.goldMinAccuracy.max, step: 0.05 }, '0–1: a labeler whose agreement with gold is below this is flagged on the quality page')}
          <div className="field">
            <label htmlFor="p-suggestMode">Suggestions while writing</label>
            <select id="p-suggestMode" className="select" value={f.suggestMode} onChange={(e) => setF({ ...f, suggestMode: e.target.value as SuggestMode })} {...fe.fieldProps('suggestMode')}>
              {SUGGEST_MODES.map((m) => (
                <option key={m} value={m}>
                  {SUGGEST_MODE_LABEL[m]}
                </option>
              ))}
            </select>
            <FieldError form={fe} name="suggestMode" />
          </div>
          <div className="field">
            <label htmlFor="p-likertMode">Likert ratings</label>
            <select id="p-likertMode" className="select" value={f.likertMode} onChange={(e) => setF({ ...f, likertMode: e.target.value as LikertMode })} {...fe.fieldProps('likertMode')}>
              {LIKERT_MODES.map((m) => (
                <option key={m} value={m}>
                  {LIKERT_MODE_LABEL[m]}
                </option>
              ))}
            </select>
            <FieldError form={fe} name="likertMode" />
          </div>
        </div>
      </fieldset>
      <div className="field">
        <label>
          <input type="checkbox" checked={f.autoPromote} onChange={(e) => setF({ ...f, autoPromote: e.target.checked })} {...fe.fieldProps('autoPromote')} /> Promote a
          round&apos;s policy automatically when it passes evaluation
        </label>
      </div>
      {!projectId && (
        <div className="field">
          <label htmlFor="p-guidelines">Guidelines (markdown, version 1)</label>
          <textarea id="p-guidelines" className="textarea" rows={6} value={guidelines} onChange={(e) => setGuidelines(e.target.value)} {...fe.fieldProps('guidelines')} />
          <FieldError form={fe} name="guidelines" />
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : projectId ? 'Save settings' : 'Create project'}
        </button>
        <FormStatus form={fe} success={saved} />
      </div>
    </form>
  );
}
