// The server-sent events of a streamed Messages response, in the order the real API sends them:
// `message_start` (usage with the input tokens), then per content block a `content_block_start`,
// its deltas and a `content_block_stop`, then `message_delta` (stop reason and the cumulative
// output tokens) and `message_stop`; one `ping` follows the first block's start. Every event is
// named on its `event:` line, and the SDK dispatches on that name.
import type { InStreamError } from '../../harness/faults/hooks.ts';
import type { ToolCall } from '../../harness/world/llm/conversation.ts';
import { type SseEvent, textChunks } from '../sse.ts';
import { anthropicErrorType } from './errorResponse.ts';
import { type ContentBlock, contentBlocks, type ReplyOutcome, stopReasonOf, wireUsage } from './messageBody.ts';

const PING: SseEvent = { event: 'ping', data: { type: 'ping' } };

/** A named event; a delta is content (in the uniform unit) only when it carries text, so the empty first `partial_json` is framing. */
function named(data: { readonly type: string } & Record<string, unknown>): SseEvent {
  const delta = data.delta as { text?: unknown; partial_json?: unknown } | undefined;
  const piece = data.type === 'content_block_delta' ? (delta?.text ?? delta?.partial_json) : undefined;
  const content = typeof piece === 'string' && piece !== '';
  return { event: data.type, data, content, ...(content && delta?.partial_json !== undefined ? { arguments: true } : {}) };
}

/**
 * The error event the API sends inside a 200 stream: `event: error` with
 * `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`
 * (docs.anthropic.com/en/docs/build-with-claude/streaming, "Error events"); the SDK's Stream throws
 * it as an APIError whose `error.type` is the one sent.
 */
export function errorEvents(error: InStreamError): SseEvent[] {
  const type = anthropicErrorType(error.type === 'overloaded' ? 'overloaded' : error.type === 'server' ? 'server' : 'rate_limit');
  const message =
    error.message ??
    (error.type === 'overloaded'
      ? 'Overloaded'
      : error.type === 'server'
        ? 'Internal server error'
        : 'Number of request tokens has exceeded your per-minute rate limit');
  return [{ event: 'error', data: { type: 'error', error: { type, message } } }];
}

export function messageEvents(outcome: ReplyOutcome): SseEvent[] {
  const { reply, usage } = outcome;
  const blocks = contentBlocks(reply);
  const events: SseEvent[] = [
    named({
      type: 'message_start',
      message: {
        id: `msg_${outcome.id}`,
        type: 'message',
        role: 'assistant',
        model: outcome.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // As the real API does, the start reports the first output token; message_delta has the total.
        usage: wireUsage(usage, Math.min(1, usage.outputTokens)),
      },
    }),
  ];
  if (blocks.length === 0) events.push(PING);
  blocks.forEach((block, index) => {
    const call = block.type === 'tool_use' ? reply.toolCalls.find((c) => c.id === block.id) : undefined;
    const { start, rest } = blockEvents(block, index, call);
    events.push(start, ...(index === 0 ? [PING] : []), ...rest);
  });
  events.push(
    {
      ...named({
        type: 'message_delta',
        delta: { stop_reason: stopReasonOf(reply), stop_sequence: reply.stopSequence ?? null },
        usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
      }),
      end: true,
    },
    named({ type: 'message_stop' }),
  );
  return events;
}

/**
 * One content block's events. A tool_use block starts with an empty `input` and streams its
 * arguments as `partial_json` fragments of the raw text (an empty fragment first, as the API
 * does), so a malformed call reaches the client as broken JSON that its parser must cope with.
 */
function blockEvents(block: ContentBlock, index: number, call: ToolCall | undefined): { start: SseEvent; rest: SseEvent[] } {
  const start =
    block.type === 'text'
      ? named({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } })
      : named({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
  const deltas =
    block.type === 'text'
      ? textChunks(block.text).map((text) => ({ type: 'text_delta', text }))
      : ['', ...textChunks(call?.rawArguments ?? JSON.stringify(block.input))].map((partial_json) => ({ type: 'input_json_delta', partial_json }));
  return {
    start,
    rest: [...deltas.map((delta) => named({ type: 'content_block_delta', index, delta })), named({ type: 'content_block_stop', index })],
  };
}

/**
 * An `off-schema` stream: events of the legacy Text Completions API (`event: completion`), which
 * a Messages client does not understand. The SDK's message accumulator never sees a
 * `message_start`, so helpers such as `finalMessage()` fail, and raw iteration sees unknown types.
 */
export function offSchemaEvents(outcome: ReplyOutcome): SseEvent[] {
  const chunks = textChunks(outcome.reply.text);
  const completion = (text: string, last: boolean): SseEvent => ({
    event: 'completion',
    data: { type: 'completion', id: `compl_${outcome.id}`, completion: text, stop_reason: last ? 'stop_sequence' : null, model: outcome.model },
  });
  return [...chunks.map((text) => completion(text, false)), completion('', true)];
}
