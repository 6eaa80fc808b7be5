// A Converse response (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html):
// `output.message` (role `assistant`, content blocks `text` and `toolUse` with its `input` as an
// object), `stopReason`, `usage` and `metrics.latencyMs`. ConverseStream sends the same answer as
// events (API_runtime_ConverseStream.html): `messageStart`, per text block its `contentBlockDelta`s
// and `contentBlockStop`, per tool call a `contentBlockStart` naming it, its input as JSON text in
// `contentBlockDelta.delta.toolUse.input` fragments and a `contentBlockStop`, then `messageStop`
// with the stop reason and `metadata` with usage and metrics. Every event's payload carries a
// `p` field of padding (a prefix of `abc…XYZ0…9` of varying length) that hides the length of what
// it carries (captured streams; @ai-sdk/amazon-bedrock deletes `p` before reading an event).
import type { InStreamError } from '../../harness/faults/hooks.ts';
import type { RandomStream } from '../../harness/sim/rng.ts';
import type { ProducedReply } from '../../harness/world/llm/conversation.ts';
import type { LlmOutcome } from '../../harness/world/llm/llmService.ts';
import { type SseEvent, textChunks } from '../sse.ts';
import { throttlingMessage } from './errors.ts';

export type ReplyOutcome = Extract<LlmOutcome, { kind: 'reply' }>;

/** Bedrock's stop reasons (API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax) for the neutral ones. */
const STOP_REASONS: Readonly<Record<ProducedReply['stopReason'], string>> = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  length: 'max_tokens',
  stop_sequence: 'stop_sequence',
  malformed_call: 'malformed_tool_use',
};

function usageOf({ usage }: ReplyOutcome) {
  return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.inputTokens + usage.outputTokens };
}

/** The whole Converse response; `latencyMs` is the virtual time the call took. */
export function converseBody(outcome: ReplyOutcome, latencyMs: number): unknown {
  const { reply } = outcome;
  const content: unknown[] = reply.text === '' ? [] : [{ text: reply.text }];
  // A call the service refused (malformed_tool_use) is not sent.
  const calls = reply.stopReason === 'malformed_call' ? [] : reply.toolCalls;
  for (const call of calls) content.push({ toolUse: { toolUseId: call.id, name: call.name, input: call.arguments ?? {} } });
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: STOP_REASONS[reply.stopReason],
    usage: usageOf(outcome),
    metrics: { latencyMs },
  };
}

const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The ConverseStream events, each payload padded from `padding`'s draws. */
export function converseEvents(outcome: ReplyOutcome, latencyMs: number, padding: RandomStream): SseEvent[] {
  const { reply } = outcome;
  const event = (name: string, payload: Record<string, unknown>, marks: Partial<SseEvent> = {}): SseEvent => ({
    event: name,
    data: { ...payload, p: PADDING.slice(0, padding.int(1, PADDING.length)) },
    ...marks,
  });
  const events: SseEvent[] = [event('messageStart', { role: 'assistant' })];
  let index = 0;
  if (reply.text !== '') {
    for (const text of textChunks(reply.text)) events.push(event('contentBlockDelta', { contentBlockIndex: index, delta: { text } }, { content: true }));
    events.push(event('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  for (const call of reply.toolCalls) {
    events.push(event('contentBlockStart', { contentBlockIndex: index, start: { toolUse: { toolUseId: call.id, name: call.name } } }));
    for (const input of textChunks(call.rawArguments)) {
      events.push(event('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input } } }, { content: true, arguments: true }));
    }
    events.push(event('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  events.push(event('messageStop', { stopReason: STOP_REASONS[reply.stopReason] }, { end: true }));
  events.push(event('metadata', { usage: usageOf(outcome), metrics: { latencyMs } }));
  return events;
}

/**
 * The exception a stream ends with when the model fails after the 200: an event-stream message of
 * type `exception` (`:exception-type: serviceUnavailableException`, `internalServerException` or
 * `throttlingException`) whose payload is `{"message": …}`; the AWS SDK throws it as that
 * exception from the stream, @ai-sdk/amazon-bedrock as an error part.
 */
export function converseErrorEvents(error: InStreamError): SseEvent[] {
  switch (error.type) {
    case 'overloaded':
      return [{ event: 'serviceUnavailableException', data: { message: error.message ?? 'Bedrock is unable to process your request.' } }];
    case 'server':
      return [
        {
          event: 'internalServerException',
          data: { message: error.message ?? 'The system encountered an unexpected error during processing. Try your request again.' },
        },
      ];
    case 'rate-limit':
      return [{ event: 'throttlingException', data: { message: error.message ?? throttlingMessage('tokens') } }];
  }
}

/**
 * An `off-schema` answer: what InvokeModel returns for the model (Anthropic's native Messages body)
 * where Converse was asked, whole; streamed, InvokeModelWithResponseStream's `chunk` events
 * (`{"bytes": base64, "p": …}`), which a ConverseStream reader does not know.
 */
export function converseOffSchema(outcome: ReplyOutcome): { body: unknown; events: SseEvent[] } {
  const native = {
    id: `msg_bdrk_${outcome.id}`,
    type: 'message',
    role: 'assistant',
    model: outcome.model,
    content: outcome.reply.text === '' ? [] : [{ type: 'text', text: outcome.reply.text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: outcome.usage.inputTokens, output_tokens: outcome.usage.outputTokens },
  };
  const bytes = Buffer.from(JSON.stringify({ type: 'message_start', message: native })).toString('base64');
  return { body: native, events: [{ event: 'chunk', data: { bytes, p: PADDING.slice(0, 20) } }] };
}
