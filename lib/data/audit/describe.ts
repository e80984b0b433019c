// One readable sentence per audit row: "Ann created project Summaries", "Hone promoted
// checkpoint demo-r2-policy". The object is named from the row's data (recorded with names for
// this) or the project; a row from before names were recorded falls back to its target id.
import { AUDIT_ACTIONS, isAuditAction } from './actions';

export type DescribableAudit = {
  action: string;
  actorName: string | null;
  projectName: string | null;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown>;
};

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null);

function object(e: DescribableAudit): string {
  const d = e.data;
  const project = e.projectName ?? str(d.projectName) ?? str(d.name);
  switch (e.action.split('.')[0]) {
    case 'project':
    case 'guidelines':
    case 'prompts':
    case 'completions':
    case 'conversations':
      return project ?? e.targetId ?? 'a project';
    case 'user':
    case 'labeler':
      return str(d.email) ?? e.targetId ?? 'a user';
    case 'token':
      return str(d.name) ? `"${str(d.name)}"` : (e.targetId ?? '');
    case 'gold':
      return `ranking set ${e.targetId ?? ''}`.trim();
    case 'round':
      return str(d.number) ? `round ${str(d.number)}` : `round ${e.targetId ?? ''}`.trim();
    case 'checkpoint':
      return str(d.name) ?? e.targetId ?? 'a checkpoint';
    case 'snapshot':
      return `${e.targetId?.slice(0, 8) ?? ''}${str(d.rowCount) ? ` (${str(d.rowCount)} items)` : ''}`;
    case 'arena':
      return str(d.name) ? `"${str(d.name)}"` : (e.targetId ?? '');
    case 'export':
      return `${str(d.format) ?? 'data'}${str(d.rowCount) ? ` (${str(d.rowCount)} rows)` : ''}`;
    default:
      return e.targetId ?? '';
  }
}

/** "Ann created project Summaries"; the actor is "Hone" when the system acted (auto-promotion). */
export function describeAudit(e: DescribableAudit): string {
  const who = e.actorName ?? (e.action === 'checkpoint.promote' && e.data.auto ? 'Hone (auto-promotion)' : 'Hone');
  const verb = isAuditAction(e.action) ? AUDIT_ACTIONS[e.action] : `did ${e.action} on`;
  const what = object(e);
  return [who, verb, what].filter(Boolean).join(' ');
}
