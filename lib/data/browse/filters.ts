// The data browser's lists and their filters, as they appear in URLs (/data/{projectId}?tab=…)
// and in GET /api/projects/{id}/data. No database here: pages and client components read the
// same definitions to draw the filter form and to build links that keep the filters.
import { unsafeTextReason } from '../../shared/text-safety';
import { AppError } from '../errors';

export const TABS = ['prompts', 'sets', 'tasks', 'submissions'] as const;
export type Tab = (typeof TABS)[number];
export const TAB_LABEL: Record<Tab, string> = { prompts: 'Prompts', sets: 'Completion sets', tasks: 'Tasks', submissions: 'Submissions' };

/** Splits as the URL spells them; `held-out` is VAL and TEST together (what bench:loop measures on). */
export const SPLITS = { train: ['TRAIN'], val: ['VAL'], test: ['TEST'], 'held-out': ['VAL', 'TEST'] } as const;
export type SplitFilter = keyof typeof SPLITS;
export const SPLIT_LABEL: Record<SplitFilter, string> = { train: 'Train', val: 'Validation', test: 'Test', 'held-out': 'Held out (validation + test)' };

/** The status choices of each list (prompts have none). */
export const STATUSES = {
  prompts: [],
  sets: ['open', 'done', 'cancelled'],
  tasks: ['open', 'done', 'cancelled'],
  submissions: ['submitted', 'in-progress'],
} as const satisfies Record<Tab, readonly string[]>;
export const STATUS_LABEL: Record<string, string> = { open: 'Open', done: 'Done', cancelled: 'Cancelled', submitted: 'Submitted', 'in-progress': 'In progress (dialogue not submitted)' };

/** The kind choices of the lists that mix kinds. */
export const KINDS = {
  prompts: [],
  sets: [],
  tasks: ['demonstration', 'dialogue', 'ranking'],
  submissions: ['demonstration', 'conversation', 'judgement'],
} as const satisfies Record<Tab, readonly string[]>;
export const KIND_LABEL: Record<string, string> = { demonstration: 'Demonstration', dialogue: 'Dialogue', ranking: 'Ranking', conversation: 'Dialogue', judgement: 'Ranking judgement' };

/** Which filters each list takes. */
export const FILTERS = {
  prompts: ['q', 'split', 'labeler', 'round'],
  sets: ['q', 'split', 'status', 'gold', 'labeler', 'round'],
  tasks: ['q', 'split', 'status', 'kind', 'labeler', 'round'],
  submissions: ['q', 'split', 'status', 'kind', 'labeler', 'round'],
} as const satisfies Record<Tab, readonly FilterName[]>;
export type FilterName = 'q' | 'split' | 'status' | 'kind' | 'gold' | 'labeler' | 'round';

export const PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
const MAX_QUERY_CHARS = 200;

export type BrowseQuery = {
  tab: Tab;
  q?: string;
  split?: SplitFilter;
  status?: string;
  kind?: string;
  gold?: 'yes' | 'no';
  labeler?: string;
  round?: string;
  page: number;
  pageSize: number;
};

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function read(params: Params, name: string): string | undefined {
  const raw = params instanceof URLSearchParams ? (params.get(name) ?? undefined) : params[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const trimmed = value?.trim();
  // Postgres cannot store (or compare with) NUL or a lone surrogate: refuse it here, in words.
  const problem = trimmed ? unsafeTextReason(trimmed) : null;
  if (problem) throw new AppError('INVALID_INPUT', `The ${name === 'q' ? 'search text' : `${name} filter`} ${problem}.`, { field: name });
  return trimmed ? trimmed : undefined;
}

const list = (values: readonly string[]) => (values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : values[0]);

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new AppError('INVALID_INPUT', `"${value.slice(0, 40)}" is not a ${what} this list knows: use ${list(allowed)}.`, { field: what });
}

function positiveInt(value: string | undefined, what: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AppError('INVALID_INPUT', `The ${what} must be a whole number of 1 or more (got "${value.slice(0, 20)}").`, { field: what });
  if (n > max) throw new AppError('INVALID_INPUT', `The ${what} can be at most ${max} (got ${n}).`, { field: what });
  return n;
}

/**
 * Reads a list's filters from a URL's query. Empty values count as absent (a plain GET form sends
 * them); a filter the list does not take, or a value it does not know, is a 400 that says which.
 */
export function parseBrowseQuery(params: Params): BrowseQuery {
  const tab = oneOf(read(params, 'tab'), TABS, 'list') ?? 'prompts';
  const allowed: readonly string[] = FILTERS[tab];
  for (const name of ['split', 'status', 'kind', 'gold', 'labeler', 'round'] as const) {
    if (read(params, name) !== undefined && !allowed.includes(name)) {
      throw new AppError('INVALID_INPUT', `The ${TAB_LABEL[tab].toLowerCase()} list has no ${name} filter; remove it or pick another list.`, { field: name });
    }
  }
  const q = read(params, 'q');
  if (q && q.length > MAX_QUERY_CHARS) throw new AppError('INVALID_INPUT', `The search text is longer than ${MAX_QUERY_CHARS} characters; search for a shorter part of it.`, { field: 'q' });
  return {
    tab,
    q,
    split: oneOf(read(params, 'split'), Object.keys(SPLITS) as SplitFilter[], 'split'),
    status: oneOf(read(params, 'status'), STATUSES[tab] as readonly string[], 'status'),
    kind: oneOf(read(params, 'kind'), KINDS[tab] as readonly string[], 'kind'),
    gold: oneOf(read(params, 'gold'), ['yes', 'no'] as const, 'gold choice'),
    labeler: read(params, 'labeler'),
    round: read(params, 'round'),
    page: positiveInt(read(params, 'page'), 'page number', 1, 1_000_000),
    pageSize: positiveInt(read(params, 'pageSize'), 'page size', PAGE_SIZE, MAX_PAGE_SIZE),
  };
}

/**
 * The query string of a list (without "?"), keeping only the filters `tab` takes: switching
 * lists keeps what still applies. `page` 1 and the default page size are left out.
 */
export function browseSearch(query: Partial<BrowseQuery>, over: Partial<BrowseQuery> = {}): string {
  const merged = { ...query, ...over };
  const tab = merged.tab ?? 'prompts';
  const out = new URLSearchParams({ tab });
  for (const name of FILTERS[tab] as readonly FilterName[]) {
    const value = merged[name];
    if (!value) continue;
    // A status or kind of another list (a submission's "submitted" on tasks) is dropped, not carried.
    if (name === 'status' && !(STATUSES[tab] as readonly string[]).includes(value)) continue;
    if (name === 'kind' && !(KINDS[tab] as readonly string[]).includes(value)) continue;
    out.set(name, value);
  }
  if (merged.page && merged.page > 1) out.set('page', String(merged.page));
  if (merged.pageSize && merged.pageSize !== PAGE_SIZE) out.set('pageSize', String(merged.pageSize));
  return out.toString();
}
