// One arena vote as a line of Chatbot Arena's cleaned battle data (lmsys/FastChat
// fastchat/serve/monitor/clean_battle_data.py, the clean_battle_conv_*.json release), so the
// notebooks and tools written for that data read Hone's votes as they are: model_a and model_b in
// the battle's own order (not the side a labeler saw), winner in {model_a, model_b, tie,
// tie (bothbad)}, the two conversations in OpenAI message format, an opaque judge id, a unix
// timestamp in seconds, turn = 1 (arena battles are single-turn), anony = true (the names were
// hidden). FastChat writes one JSON array; Hone writes JSON Lines, one battle per line, which
// pandas.read_json(lines=True) and datasets' json loader both read.
import type { ArenaOutcome } from './bradley-terry';

export type ArenaWinnerName = 'MODEL_A' | 'MODEL_B' | 'TIE' | 'BOTH_BAD';

export const WINNER_TO_OUTCOME: Record<ArenaWinnerName, ArenaOutcome> = {
  MODEL_A: 'model_a',
  MODEL_B: 'model_b',
  TIE: 'tie',
  BOTH_BAD: 'tie (bothbad)',
};

export type ChatbotArenaMessage = { role: 'user' | 'assistant'; content: string };

export type ChatbotArenaBattle = {
  question_id: string;
  model_a: string;
  model_b: string;
  winner: ArenaOutcome;
  judge: string;
  conversation_a: ChatbotArenaMessage[];
  conversation_b: ChatbotArenaMessage[];
  turn: 1;
  anony: true;
  /** FastChat detects the prompt's language; Hone does not, and says so as FastChat does on failure. */
  language: 'unknown';
  tstamp: number;
};

/** The fields of a line, in the order they are written (the researchers' docs list them). */
export const CHATBOT_ARENA_FIELDS = [
  'question_id', 'model_a', 'model_b', 'winner', 'judge', 'conversation_a', 'conversation_b', 'turn', 'anony', 'language', 'tstamp',
] as const;

export function toChatbotArenaBattle(v: {
  promptId: string;
  prompt: string;
  modelA: string;
  modelB: string;
  replyA: string;
  replyB: string;
  winner: ArenaWinnerName;
  judge: string;
  createdAt: Date;
}): ChatbotArenaBattle {
  return {
    question_id: v.promptId,
    model_a: v.modelA,
    model_b: v.modelB,
    winner: WINNER_TO_OUTCOME[v.winner],
    judge: v.judge,
    conversation_a: [{ role: 'user', content: v.prompt }, { role: 'assistant', content: v.replyA }],
    conversation_b: [{ role: 'user', content: v.prompt }, { role: 'assistant', content: v.replyB }],
    turn: 1,
    anony: true,
    language: 'unknown',
    tstamp: v.createdAt.getTime() / 1000,
  };
}
