// The one chat template. Every turn is a role marker, the content as plain text, and <|end|>:
//
//   <|endoftext|><|system|>You are terse.<|end|><|user|>Hi<|end|><|assistant|>Hello.<|end|>
//
// The leading <|endoftext|> (GPT-2's document separator) starts every conversation. Role and
// end markers are single special ids, so content can never forge a turn: "<|user|>" typed in
// a message is encoded as text. With addGenerationPrompt the ids end in <|assistant|>, which is
// where sampling starts; the model ends its reply with <|end|>.
//
// assistantMask[i] = 1 when ids[i] is a token the assistant wrote: its content and the <|end|>
// closing its turn (so SFT teaches the model to stop). Role markers and every other turn are 0.
// The mask is aligned with ids (not shifted): a trainer predicting ids[i] from ids[<i] uses
// assistantMask[i] as the weight of that target.
//
// The same template is written into tokenizer_config.json as a Jinja chat_template, so Hugging
// Face's apply_chat_template produces identical ids for a GPT-2 checkpoint (see files.ts).
import type { Tokenizer } from './tokenizer';

export type ChatRole = 'system' | 'user' | 'assistant';
export type ChatMessage = { role: ChatRole; content: string };

const ROLES: readonly ChatRole[] = ['system', 'user', 'assistant'];

export function encodeChat(
  tok: Tokenizer,
  messages: ChatMessage[],
  opts?: { addGenerationPrompt?: boolean },
): { ids: number[]; assistantMask: number[] } {
  const ids: number[] = [tok.special.bos];
  const assistantMask: number[] = [0];
  messages.forEach((m, i) => {
    if (!ROLES.includes(m.role)) throw new Error(`messages[${i}].role must be system, user or assistant, got ${JSON.stringify(m.role)}`);
    if (typeof m.content !== 'string') throw new Error(`messages[${i}].content must be a string`);
    const bit = m.role === 'assistant' ? 1 : 0;
    ids.push(tok.special[m.role]);
    assistantMask.push(0);
    for (const id of tok.encode(m.content)) {
      ids.push(id);
      assistantMask.push(bit);
    }
    ids.push(tok.special.endOfTurn);
    assistantMask.push(bit);
  });
  if (opts?.addGenerationPrompt) {
    ids.push(tok.special.assistant);
    assistantMask.push(0);
  }
  return { ids, assistantMask };
}

/**
 * The text of a generated reply: `ids` are the tokens sampled after the <|assistant|> prompt;
 * the reply stops before the first <|end|> or <|endoftext|>, and other specials are dropped.
 */
export function decodeAssistantReply(tok: Tokenizer, ids: number[]): string {
  let end = ids.length;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === tok.special.endOfTurn || ids[i] === tok.special.eos) {
      end = i;
      break;
    }
  }
  return tok.decode(ids.slice(0, end), { skipSpecial: true });
}

/**
 * Hugging Face Jinja rendering of the template above (for tokenizer_config.json). The
 * {% generation %} block marks what assistantMask marks (an assistant turn's content and its
 * <|end|>): transformers' return_assistant_tokens_mask, and so TRL's assistant_only_loss, read
 * it. It renders nothing itself, so the text is the same as without it.
 */
export const CHAT_TEMPLATE_JINJA =
  "{{ '<|endoftext|>' }}{% for message in messages %}{{ '<|' + message['role'] + '|>' }}" +
  "{% if message['role'] == 'assistant' %}{% generation %}{{ message['content'] + '<|end|>' }}{% endgeneration %}" +
  "{% else %}{{ message['content'] + '<|end|>' }}{% endif %}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

