// How a project collects data beyond the task mix: comparisons inside conversations, model
// suggestions while writing, edits as preferences, gold honeypots and Likert ratings. The
// project settings' names, ranges, defaults and words, shared by the schema, the form and the
// use cases (client-safe).
export const SUGGEST_MODES = ['OFF', 'ON_KEY', 'LIVE'] as const;
export type SuggestMode = (typeof SUGGEST_MODES)[number];
export const SUGGEST_MODE_LABEL: Record<SuggestMode, string> = {
  OFF: 'Off',
  ON_KEY: 'On request (Alt+S)',
  LIVE: 'Live, as the labeler pauses',
};

export const LIKERT_MODES = ['PER_RANKING', 'PER_COMPLETION'] as const;
export type LikertMode = (typeof LIKERT_MODES)[number];
export const LIKERT_MODE_LABEL: Record<LikertMode, string> = {
  PER_RANKING: 'One per ranking',
  PER_COMPLETION: 'One per completion',
};

export const COLLECTION_LIMITS = {
  contextRate: { min: 0, max: 1 },
  editPairWeight: { min: 0, max: 10 },
  goldShare: { min: 0, max: 0.5 },
  goldMinAccuracy: { min: 0, max: 1 },
} as const;

export const COLLECTION_DEFAULTS = {
  contextRate: 0.5,
  suggestMode: 'ON_KEY' as SuggestMode,
  editPairWeight: 1,
  goldShare: 0,
  goldMinAccuracy: 0.75,
  likertMode: 'PER_RANKING' as LikertMode,
};
