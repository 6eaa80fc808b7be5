// The Message object of the Messages API, rendered from a simulated model's reply: the body of a
// non-streaming response, and the pieces (content blocks, stop reason, usage) that the streaming
// events carry. Usage is the service's own count, so what the SDK reports is what the run billed.
import type { ProducedReply } from '../../harness/world/llm/conversation.ts';
import type { LlmOutcome } from '../../harness/world/llm/llmService.ts';
import { toolInputOf } from './toolInput.ts';

export type ReplyOutcome = Extract<LlmOutcome, { kind: 'reply' }>;

export type ContentBlock =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_use'; readonly id: string; readonly name: string; readonly input: unknown };

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';

const STOP_REASONS: Readonly<Record<ProducedReply['stopReason'], StopReason>> = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  length: 'max_tokens',
  stop_sequence: 'stop_sequence',
  // Only Gemini refuses a broken call outright; Anthropic streams the broken JSON (never set here).
  malformed_call: 'end_turn',
};

export function stopReasonOf(reply: ProducedReply): StopReason {
  return STOP_REASONS[reply.stopReason];
}

/**
 * The reply's content: a text block when there is text, then one tool_use block per call. An
 * empty reply has no blocks at all, as the real API sends it (`content: []`).
 */
export function contentBlocks(reply: ProducedReply): ContentBlock[] {
  const blocks: ContentBlock[] = reply.text.length > 0 ? [{ type: 'text', text: reply.text }] : [];
  for (const call of reply.toolCalls) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInputOf(call) });
  return blocks;
}

/** The `usage` object, with the cache fields the real API always includes. */
export function wireUsage(usage: ReplyOutcome['usage'], outputTokens = usage.outputTokens): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

/** The Message a non-streaming response carries. */
export function messageBody(outcome: ReplyOutcome): Record<string, unknown> {
  return {
    id: `msg_${outcome.id}`,
    type: 'message',
    role: 'assistant',
    model: outcome.model,
    content: contentBlocks(outcome.reply),
    stop_reason: stopReasonOf(outcome.reply),
    stop_sequence: outcome.reply.stopSequence ?? null,
    usage: wireUsage(outcome.usage),
  };
}

/**
 * An `off-schema` body: a 200 whose JSON is not a Message. It takes the shape of Anthropic's legacy
 * Text Completions API (`completion` instead of `content`, no `usage`), which is what a client gets
 * when a gateway or proxy routes it to the wrong endpoint; code that trusts the schema breaks on it.
 */
export function offSchemaBody(outcome: ReplyOutcome): Record<string, unknown> {
  return {
    type: 'completion',
    id: `compl_${outcome.id}`,
    completion: outcome.reply.text,
    stop_reason: 'stop_sequence',
    model: outcome.model,
  };
}
