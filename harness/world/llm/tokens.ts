// Token counts for simulated LLM calls, from a real tokenizer (gpt-tokenizer's o200k_base, the
// encoding of the GPT-4o family). The same counts are used for Anthropic models: Anthropic's own
// tokenizer is not public, and a consistent count is what budgets and prices need.
import { createRequire } from 'node:module';
import type { Conversation, ProducedReply } from './conversation.ts';

interface Encoding {
  countTokens(text: string): number;
  encode(text: string): number[];
  decode(tokens: readonly number[]): string;
}

// The encoding's tables take most of a second to load, so they are loaded on the first count,
// not when Faultline is imported: runs without an LLM never pay for them.
const require = createRequire(import.meta.url);
let loaded: Encoding | undefined;

/** The o200k_base encoding. */
export function encoding(): Encoding {
  return (loaded ??= require('gpt-tokenizer/cjs/encoding/o200k_base') as Encoding);
}

/**
 * Counts already made, by text: the runs of a check send the same prompts, tool definitions and
 * replies again and again, and a count is a pure function of its text. Bounded: emptied when full.
 */
const counted = new Map<string, number>();
const COUNTED_MAX = 20_000;

function countTokens(text: string): number {
  let n = counted.get(text);
  if (n === undefined) {
    n = encoding().countTokens(text);
    if (counted.size >= COUNTED_MAX) counted.clear();
    counted.set(text, n);
  }
  return n;
}

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
