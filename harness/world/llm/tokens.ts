// Token counts for simulated LLM calls, from a real tokenizer (gpt-tokenizer's o200k_base, the
// encoding of the GPT-4o family). The same counts are used for Anthropic models: Anthropic's own
// tokenizer is not public, and a consistent count is what budgets and prices need.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { Conversation, ProducedReply } from './conversation.ts';

/** Tokens in a piece of text. */
export function tokensIn(text: string): number {
  return text.length === 0 ? 0 : countTokens(text);
}

// OpenAI's documented accounting for chat messages: every message costs 3 tokens of framing, and
// every reply is primed with 3 more.
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

/** Prompt tokens of a conversation: system text, messages, tool calls and tool definitions. */
export function promptTokens(conversation: Conversation): number {
  let n = REPLY_PRIMING;
  if (conversation.system.length > 0) n += PER_MESSAGE + tokensIn(conversation.system);
  for (const m of conversation.messages) {
    n += PER_MESSAGE + tokensIn(m.content);
    for (const call of m.toolCalls ?? []) n += tokensIn(call.name) + tokensIn(call.rawArguments);
  }
  for (const tool of conversation.tools) {
    n += tokensIn(tool.name) + tokensIn(tool.description ?? '') + tokensIn(JSON.stringify(tool.parameters));
  }
  return n;
}

/** Completion tokens of a reply: its text and its tool calls' names and arguments. */
export function completionTokens(reply: ProducedReply): number {
  let n = tokensIn(reply.text);
  for (const call of reply.toolCalls) n += tokensIn(call.name) + tokensIn(call.rawArguments);
  return n;
}
