// Small badges the data browser repeats: a prompt's split, a task's status, gold.
const SPLIT: Record<string, string> = { TRAIN: 'train', VAL: 'validation', TEST: 'test' };
const STATUS_CLASS: Record<string, string> = { OPEN: 'badge-labeler', DONE: 'badge-success', CANCELLED: 'badge-muted' };

export const SplitBadge = ({ split }: { split: string | null }) => (split ? <span className={`badge ${split === 'TRAIN' ? 'badge-muted' : 'badge-researcher'}`}>{SPLIT[split] ?? split}</span> : <span className="muted">—</span>);

export const StatusBadge = ({ status }: { status: string | null }) =>
  status ? <span className={`badge ${STATUS_CLASS[status] ?? 'badge-muted'}`}>{status.toLowerCase()}</span> : <span className="muted">no task</span>;

export const GoldBadge = ({ gold }: { gold: boolean }) => (gold ? <span className="badge badge-admin">gold</span> : null);

export const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
