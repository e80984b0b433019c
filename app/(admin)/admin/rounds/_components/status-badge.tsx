const CLASS: Record<string, string> = {
  SUCCEEDED: 'badge badge-success',
  FAILED: 'badge badge-danger',
  CANCELLED: 'badge badge-muted',
  RUNNING: 'badge badge-researcher',
  QUEUED: 'badge',
  READY: 'badge badge-success',
  FAILED_EVAL: 'badge badge-danger',
  ARCHIVED: 'badge badge-muted',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={CLASS[status] ?? 'badge'}>{status.replace('_', ' ').toLowerCase()}</span>;
}
