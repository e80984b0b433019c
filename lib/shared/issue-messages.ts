// Validation issues as sentences a person can act on ("SFT steps must be a whole number"), never
// schema paths or zod's developer wording ("settings.sft.steps: Invalid input: expected int").
// Client-safe (no zod import): the API's error bodies and the forms' server actions both use it.
import { quote } from './text-safety';

/** The parts of a zod issue this module reads (zod 4's issue shape, loosely typed). */
export type IssueLike = {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  expected?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  values?: readonly unknown[];
  keys?: readonly string[];
  format?: unknown;
  divisor?: unknown;
};

// Whole paths whose words are not just their last key spelled out.
const PATH_LABELS: Record<string, string> = {
  k: 'K (completions per ranking)',
  overlap: 'Overlap',
  leaseMinutes: 'Lease',
  mixDemonstration: 'Demonstrations mix weight',
  mixDialogue: 'Dialogues mix weight',
  mixRanking: 'Rankings mix weight',
  autoPromote: 'Automatic promotion',
  contextRate: 'Share of model turns compared in context',
  suggestMode: 'Suggestions',
  editPairWeight: 'Weight of edited suggestions',
  goldShare: 'Share of gold tasks',
  goldMinAccuracy: 'Gold accuracy threshold',
  likertMode: 'Likert ratings',
  'samplingParams.topP': 'Top-p',
  'samplingParams.maxTokens': 'Max tokens per completion',
  'samplingParams.maxPrompts': 'Prompts sampled per promotion',
  'samplingParams.bestOf': 'Best of n',
  baseCheckpointId: 'Base checkpoint',
  snapshotId: 'Snapshot',
  projectId: 'Project',
  roundId: 'Round',
  labelerIds: 'Labelers',
  minAgreement: 'Minimum agreement with consensus',
  minGoldAgreement: 'Minimum agreement with gold',
  minGoldAccuracy: 'Minimum gold accuracy',
};

// A stage key anywhere in the path names the stage before the field: "SFT steps".
const STAGE_LABELS: Record<string, string> = { pretrain: 'Pretraining', sft: 'SFT', rm: 'Reward model', ppo: 'PPO', evaluate: 'Evaluation' };

// Words that are acronyms or abbreviations inside camelCase keys.
const WORDS: Record<string, string> = {
  lr: 'learning rate',
  kl: 'KL',
  rm: 'reward model',
  eos: 'EOS',
  ptx: 'pretraining-mix',
  ppo: 'PPO',
  vf: 'value-function',
  id: 'ID',
  url: 'URL',
  p: 'p',
  adam: 'Adam',
  eps: 'epsilon',
  lam: 'lambda (GAE)',
  coef: 'coefficient',
  eval: 'evaluation',
};

function words(key: string): string {
  const parts = quote(key, 60)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase());
  return parts.join(' ');
}

const capital = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
// Lower-cases a leading capital unless it starts an acronym ("SFT" stays).
const lower = (s: string) => s.replace(/^[A-Z](?![A-Z])/, (c) => c.toLowerCase());

/** A field's name in words, from its path: "samplingParams.temperature" → "Temperature". */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const keys = path.filter((p): p is string => typeof p === 'string');
  const indices = path.filter((p): p is number => typeof p === 'number');
  if (!keys.length) return indices.length ? `Item ${indices[indices.length - 1]! + 1}` : 'The request';
  const whole = keys.join('.');
  const last = keys[keys.length - 1]!;
  const stage = keys.slice(0, -1).find((k) => k in STAGE_LABELS);
  if (last in STAGE_LABELS && keys.length > 1) return `${STAGE_LABELS[last]} settings`;
  let label = PATH_LABELS[whole] ?? PATH_LABELS[last] ?? words(last);
  if (stage) label = `${STAGE_LABELS[stage]} ${lower(label)}`;
  // An index after the last key says which entry of a list: "Tiers (item 2)".
  const lastKeyAt = path.lastIndexOf(last);
  const after = path.slice(lastKeyAt + 1).find((p): p is number => typeof p === 'number');
  if (after !== undefined) label += ` (item ${after + 1})`;
  return capital(label);
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'on or off (true or false)',
  array: 'a list',
  object: 'a group of settings',
  date: 'a date',
  bigint: 'a whole number',
};

// zod's own messages all start like this; a schema's custom message never does in Hone.
const ZOD_DEFAULT = /^(Invalid\b|Too (small|big):|Unrecognized keys?:)/;

const show = (v: unknown) => (typeof v === 'string' ? `“${quote(v, 60)}”` : quote(String(v), 60));
const list = (vs: readonly unknown[]) => (vs.length <= 1 ? vs.map(show).join('') : `${vs.slice(0, -1).map(show).join(', ')} or ${show(vs[vs.length - 1])}`);

function bound(issue: IssueLike, small: boolean): string {
  const n = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  const origin = String(issue.origin ?? 'number');
  if (origin === 'string') {
    if (small && n <= 1) return 'is empty; fill it in';
    return small ? `must be at least ${n} characters long` : `must be at most ${n} characters long`;
  }
  if (origin === 'array' || origin === 'set') {
    if (small && n <= 1) return 'needs at least one entry';
    return small ? `needs at least ${n} entries` : `may have at most ${n} entries`;
  }
  if (origin === 'file') return small ? `must be at least ${n} bytes` : `must be at most ${n} bytes`;
  if (small) return inclusive ? (n === 0 ? 'must be 0 or more' : `must be at least ${n}`) : n === 0 ? 'must be more than 0' : `must be more than ${n}`;
  return inclusive ? `must be at most ${n}` : `must be less than ${n}`;
}

function predicate(issue: IssueLike): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (/received undefined$/.test(issue.message)) return 'is missing; fill it in';
      return `must be ${TYPE_WORDS[String(issue.expected)] ?? String(issue.expected)}`;
    }
    case 'too_small':
      return bound(issue, true);
    case 'too_big':
      return bound(issue, false);
    case 'invalid_value':
      return issue.values?.length ? `must be ${list(issue.values)}` : 'is not one of the allowed values';
    case 'invalid_format':
      return issue.format === 'email' ? 'must be an email address' : issue.format === 'url' ? 'must be a web address (URL)' : 'is not in the expected format';
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    default:
      return 'is not valid';
  }
}

/**
 * One issue as a sentence. A schema's own message is kept (prefixed with the field's name when it
 * starts in lower case, like "must be 0 or more"); zod's default wording is rewritten.
 */
export function issueMessage(issue: IssueLike): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys ?? [];
    const where = issue.path.length ? ` in ${lower(fieldLabel(issue.path))}` : '';
    return `${keys.length === 1 ? `${show(keys[0])} is not a setting` : `${list(keys)} are not settings`} Hone knows${where}; remove ${keys.length === 1 ? 'it' : 'them'}.`;
  }
  const label = fieldLabel(issue.path);
  if (!ZOD_DEFAULT.test(issue.message)) {
    return /^[a-z]/.test(issue.message) ? `${label} ${issue.message}` : issue.message;
  }
  return `${label} ${predicate(issue)}.`;
}

export type IssueDetail = { path: string; message: string };

/** Every issue as `{path, message}`: the path for programs and forms, the message for people. */
export function issueDetails(issues: readonly IssueLike[]): IssueDetail[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: issueMessage(i) }));
}
