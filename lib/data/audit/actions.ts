// Every action the audit log records, in families, with the words the audit page uses for it.
// The API's action filter takes an action ("round.launch") or a family ("round").
export const AUDIT_ACTIONS = {
  'project.create': 'created project',
  'project.update': 'changed the settings of project',
  'guidelines.update': 'published new guidelines for project',
  'prompts.import': 'imported prompts into project',
  'completions.import': 'imported completion sets into project',
  'conversations.import': 'imported conversations into project',
  'user.create': 'created the account of',
  'user.role': 'changed the role of',
  'user.deactivate': 'deactivated the account of',
  'user.reactivate': 'reactivated the account of',
  'token.create': 'created the API token',
  'token.revoke': 'revoked the API token',
  'gold.set': 'marked the gold order of',
  'gold.clear': 'cleared the gold order of',
  'labeler.exclude': "left out of the next rounds' snapshots the judgements of",
  'labeler.include': "took back into the next rounds' snapshots the judgements of",
  'round.launch': 'launched',
  'round.cancel': 'cancelled',
  'checkpoint.promote': 'promoted checkpoint',
  'checkpoint.register': 'registered base checkpoint',
  'snapshot.create': 'froze snapshot',
  'export.create': 'queued an export of',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_FAMILIES: Record<string, string> = {
  project: 'Projects',
  guidelines: 'Guidelines',
  prompts: 'Prompt imports',
  completions: 'Completion-set imports',
  conversations: 'Conversation imports',
  user: 'Users',
  token: 'API tokens',
  gold: 'Gold orders',
  labeler: 'Labeler exclusions',
  round: 'Training rounds',
  checkpoint: 'Checkpoints and promotions',
  snapshot: 'Snapshots',
  export: 'Exports',
  arena: 'Arena evaluations',
};

export const isAuditAction = (a: string): a is AuditAction => Object.hasOwn(AUDIT_ACTIONS, a);
export const isAuditFamily = (a: string): boolean => Object.hasOwn(AUDIT_FAMILIES, a);
