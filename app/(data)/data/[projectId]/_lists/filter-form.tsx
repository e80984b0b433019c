'use client';
// The filter bar of a list. A GET form, so it works without JavaScript; with it, empty fields
// are left out of the URL, which stays shareable and goes into history (Back undoes a filter).
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { browseSearch, FILTERS, KIND_LABEL, KINDS, SPLIT_LABEL, SPLITS, STATUS_LABEL, STATUSES, type BrowseQuery, type FilterName, type Tab } from '@/lib/data/browse/filters';
import styles from '../../data.module.css';

type Props = {
  projectId: string;
  tab: Tab;
  values: Partial<Record<FilterName, string>>;
  labelers: { id: string; name: string }[];
  rounds: { id: string; number: number; status: string }[];
};

const SEARCH_HINT: Record<Tab, string> = {
  prompts: 'Prompt text or id',
  sets: 'Prompt, completion text, model or id',
  tasks: 'Prompt text or task id',
  submissions: 'Answer, dialogue turn, comment, prompt or id',
};

function Choice({ name, label, value, options }: { name: string; label: string; value: string | undefined; options: [string, string][] }) {
  return (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name} className="select" defaultValue={value ?? ''}>
        <option value="">Any</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function FilterForm({ projectId, tab, values, labelers, rounds }: Props) {
  const router = useRouter();
  const has = (f: FilterName) => (FILTERS[tab] as readonly FilterName[]).includes(f);
  const base = `/data/${encodeURIComponent(projectId)}`;
  return (
    <form
      role="search"
      aria-label="Filter the list"
      method="get"
      action={base}
      className={`card ${styles.filters}`}
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const query: Partial<BrowseQuery> = { tab };
        for (const [k, v] of data.entries()) if (k !== 'tab' && typeof v === 'string' && v.trim()) (query as Record<string, string>)[k] = v.trim();
        router.push(`${base}?${browseSearch(query)}`);
      }}
      // Keyed by the URL's filters: Back and Forward show the filters of the list they return to.
      key={JSON.stringify(values)}
    >
      <input type="hidden" name="tab" value={tab} />
      <div className={`field ${styles.search}`}>
        <label htmlFor="f-q">Search</label>
        <input id="f-q" name="q" type="search" className="input" defaultValue={values.q ?? ''} placeholder={SEARCH_HINT[tab]} maxLength={200} />
      </div>
      {has('split') && <Choice name="split" label="Split" value={values.split} options={Object.keys(SPLITS).map((s) => [s, SPLIT_LABEL[s as keyof typeof SPLITS]])} />}
      {has('status') && <Choice name="status" label="Status" value={values.status} options={STATUSES[tab].map((s) => [s, STATUS_LABEL[s]])} />}
      {has('kind') && <Choice name="kind" label="Kind" value={values.kind} options={KINDS[tab].map((k) => [k, KIND_LABEL[k]])} />}
      {has('gold') && <Choice name="gold" label="Gold order" value={values.gold} options={[['yes', 'Marked gold'], ['no', 'Not gold']]} />}
      {has('labeler') && <Choice name="labeler" label="Labeler" value={values.labeler} options={labelers.map((l) => [l.id, l.name])} />}
      {has('round') && <Choice name="round" label="Used by round" value={values.round} options={rounds.map((r) => [r.id, `Round ${r.number} (${r.status.toLowerCase()})`])} />}
      <div className={styles.filterActions}>
        <button type="submit" className="btn btn-primary">
          Apply filters
        </button>
        <Link className="btn btn-ghost" href={`${base}?tab=${tab}`}>
          Clear
        </Link>
      </div>
    </form>
  );
}
