// The Responses API (`POST /responses`) on the simulated LLM: the reply becomes a `response` object
// whose `output` holds a `message` item (one `output_text` part) and a `function_call` item per tool
// call, or, with `stream: true`, the named events the official client's ResponseStream accumulates
// (`response.created` … `response.completed`), each with its `sequence_number`.
import type { InStreamError } from '../../harness/faults/hooks.ts';
import { openaiRateLimitMessage } from '../../harness/faults/kinds/rateLimit.ts';
import type { Message } from '../../harness/world/llm/conversation.ts';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { route } from '../../harness/world/route.ts';
import { type SseEvent, textChunks } from '../sse.ts';
import type { OpenAiHost } from './host.ts';
import { parseResponsesRequest, type ResponseHistory, type ResponsesRequest } from './responsesRequest.ts';
import { type ReplyOutcome, serveWith, type WireApi } from './serve.ts';

interface MessageItem {
  readonly type: 'message';
  readonly id: string;
  readonly status: 'completed';
  readonly role: 'assistant';
  readonly content: ReadonlyArray<{ type: 'output_text'; text: string; annotations: []; logprobs: [] }>;
}
interface FunctionCallItem {
  readonly type: 'function_call';
  readonly id: string;
  readonly status: 'completed';
  readonly call_id: string;
  readonly name: string;
  readonly arguments: string;
}
type OutputItem = MessageItem | FunctionCallItem;

/** The route serving the Responses API at `{baseUrl}/responses`. */
export function responsesRoute(service: LlmService, baseUrl: string, host?: OpenAiHost) {
  // Stored responses live as long as the route, which simulate() builds afresh for every run.
  const history: ResponseHistory = new Map();
  return route.post(`${baseUrl}/responses`, serveWith(service, responsesApi(service, history), host));
}

export function responsesApi(service: LlmService, history: ResponseHistory): WireApi<ResponsesRequest> {
  const itemsOf = (reply: ReplyOutcome) => outputItems(reply, () => service.newId());
  return {
    api: 'openai.responses',
    parse: (body) => parseResponsesRequest(body, history),
    body: (reply, request) => responseObject(reply, request, itemsOf(reply), 'final'),
    events: (reply, request) => responseEvents(reply, request, itemsOf(reply)),
    errorEvents: (error, events, _at, reply, request) => failureEvents(error, events, reply, request),
    offSchema: (reply, request) => {
      // The right envelope with the answer under another name and no `output`: what a drifted API
      // or a misbehaving gateway sends. The client's own `output_text` helper trips over it.
      const { output, ...rest } = responseObject(reply, request, itemsOf(reply), 'final');
      const body = { ...rest, result: output };
      return { body, events: [{ event: 'response.completed', data: { type: 'response.completed', sequence_number: 0, response: body } }] };
    },
    onReply: (reply, request) => {
      if (!request.echo.store) return;
      const answer: Message = {
        role: 'assistant',
        content: reply.reply.text,
        ...(reply.reply.toolCalls.length > 0 ? { toolCalls: reply.reply.toolCalls } : {}),
      };
      history.set(`resp_${reply.id}`, [...request.conversation.messages, answer]);
    },
  };
}

/** A message item when the model said something (or nothing at all), then a function_call item per call. */
function outputItems({ reply }: ReplyOutcome, newId: () => string): OutputItem[] {
  const items: OutputItem[] = [];
  if (reply.text !== '' || reply.toolCalls.length === 0) {
    items.push({
      type: 'message',
      id: `msg_${newId()}`,
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: reply.text, annotations: [], logprobs: [] }],
    });
  }
  for (const call of reply.toolCalls) {
    items.push({ type: 'function_call', id: `fc_${newId()}`, status: 'completed', call_id: call.id, name: call.name, arguments: call.rawArguments });
  }
  return items;
}

/** The response object: as first announced (`in_progress`, no output yet) or final. */
function responseObject(reply: ReplyOutcome, request: ResponsesRequest, output: readonly OutputItem[], stage: 'start' | 'final') {
  const incomplete = reply.reply.stopReason === 'length';
  const final = stage === 'final';
  return {
    id: `resp_${reply.id}`,
    object: 'response',
    created_at: reply.created,
    status: !final ? 'in_progress' : incomplete ? 'incomplete' : 'completed',
    background: false,
    error: null,
    incomplete_details: final && incomplete ? { reason: 'max_output_tokens' } : null,
    model: reply.model,
    output: final ? output : [],
    parallel_tool_calls: true,
    reasoning: { effort: null, summary: null },
    text: { format: request.format ?? { type: 'text' }, verbosity: 'medium' },
    tool_choice: request.toolChoice ?? 'auto',
    truncation: 'disabled',
    usage: final ? usageOf(reply) : null,
    user: null,
    ...request.echo,
  };
}

function usageOf({ usage }: ReplyOutcome) {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

type Emit = (type: string, fields: Record<string, unknown>) => void;

function responseEvents(reply: ReplyOutcome, request: ResponsesRequest, items: readonly OutputItem[]): SseEvent[] {
  const events: SseEvent[] = [];
  const emit: Emit = (type, fields) =>
    events.push({
      event: type,
      data: { type, sequence_number: events.length, ...fields },
      content: type.endsWith('.delta'),
      ...(type === 'response.function_call_arguments.delta' ? { arguments: true } : {}),
    });
  const start = responseObject(reply, request, items, 'start');
  emit('response.created', { response: start });
  emit('response.in_progress', { response: start });
  items.forEach((item, index) => (item.type === 'message' ? messageEvents(emit, item, index) : functionCallEvents(emit, item, index)));
  const final = responseObject(reply, request, items, 'final');
  emit(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  const last = events.length - 1;
  events[last] = { ...(events[last] as SseEvent), end: true };
  return events;
}

/**
 * A failure inside the stream, numbered after the events already sent: an `error` event as the API
 * sends one mid-stream (`{"type":"error","sequence_number":n,"error":{"type","code","message","param"}}`,
 * anomalyco/opencode#25730, which openai-node's Stream throws as an APIError), or a terminal
 * `response.failed` whose response has status "failed" and an `error` (openai-node
 * ResponseFailedEvent; Soju06/codex-lb#1313 for `server_is_overloaded`).
 */
function failureEvents(error: InStreamError, sent: readonly SseEvent[], reply: ReplyOutcome, request: ResponsesRequest): SseEvent[] {
  const sequence = sent.filter((e) => e.end !== true && !(e.event === 'response.completed' || e.event === 'response.incomplete')).length;
  const detail =
    error.type === 'overloaded'
      ? {
          type: 'service_unavailable_error',
          code: 'server_is_overloaded',
          message: error.message ?? 'Our servers are currently overloaded. Please try again later.',
        }
      : error.type === 'server'
        ? {
            type: 'server_error',
            code: 'server_error',
            message:
              error.message ??
              'An error occurred while processing your request. You can retry your request, or contact us through our help center at help.openai.com if the error persists.',
          }
        : { type: 'tokens', code: 'rate_limit_exceeded', message: error.message ?? openaiRateLimitMessage(reply.model, 'tokens', 1000) };
  if (error.form === 'response.failed') {
    const failed = { ...responseObject(reply, request, [], 'start'), status: 'failed', error: { code: detail.code, message: detail.message } };
    return [{ event: 'response.failed', data: { type: 'response.failed', sequence_number: sequence, response: failed } }];
  }
  return [{ event: 'error', data: { type: 'error', sequence_number: sequence, error: { ...detail, param: null } } }];
}

function messageEvents(emit: Emit, item: MessageItem, output_index: number): void {
  const text = item.content[0]?.text ?? '';
  const at = { item_id: item.id, output_index, content_index: 0 };
  emit('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } });
  emit('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
  for (const delta of textChunks(text)) emit('response.output_text.delta', { ...at, delta, logprobs: [] });
  emit('response.output_text.done', { ...at, text, logprobs: [] });
  emit('response.content_part.done', { ...at, part: { type: 'output_text', text, annotations: [], logprobs: [] } });
  emit('response.output_item.done', { output_index, item });
}

function functionCallEvents(emit: Emit, item: FunctionCallItem, output_index: number): void {
  const at = { item_id: item.id, output_index };
  emit('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', arguments: '' } });
  for (const delta of textChunks(item.arguments)) emit('response.function_call_arguments.delta', { ...at, delta });
  emit('response.function_call_arguments.done', { ...at, name: item.name, arguments: item.arguments });
  emit('response.output_item.done', { output_index, item });
}
