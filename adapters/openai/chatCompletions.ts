// Chat Completions (`POST /chat/completions`) on the simulated LLM: the request's messages and tools
// become a Conversation; the reply becomes a `chat.completion` object, or, with `stream: true`, a
// stream of `chat.completion.chunk` events ending in `data: [DONE]`, as the official client reads them.

import type { InStreamError } from '../../harness/faults/hooks.ts';
import { openaiRateLimitMessage } from '../../harness/faults/kinds/rateLimit.ts';
import type { Conversation, Message, ProducedReply, ToolSpec } from '../../harness/world/llm/conversation.ts';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { route } from '../../harness/world/route.ts';
import { type SseEvent, textChunks } from '../sse.ts';
import { objectOf, parseArguments, textOf } from './content.ts';
import { isRequestProblem, type RequestProblem, requestProblem } from './errors.ts';
import type { OpenAiHost } from './host.ts';
import { readFormat, readStop, readToolChoice } from './requestOptions.ts';
import { invalidType, missing, type ReplyOutcome, serveWith, type WireApi, type WireRequest } from './serve.ts';
import { findPairingProblem } from './toolPairing.ts';

interface ChatRequest extends WireRequest {
  /** `stream_options.include_usage`: the stream ends with a usage chunk. */
  readonly includeUsage: boolean;
}

/** The route serving Chat Completions at `{baseUrl}/chat/completions`, as `host` serves it. */
export function chatCompletionsRoute(service: LlmService, baseUrl: string, host?: OpenAiHost) {
  return route.post(`${baseUrl}/chat/completions`, serveWith(service, chatCompletions, host));
}

export const chatCompletions: WireApi<ChatRequest> = {
  api: 'openai.chat',
  parse: parseChatRequest,
  body: (reply) => ({
    ...envelope(reply, 'chat.completion'),
    choices: reply.choices.map((choice, index) => ({ index, message: assistantMessage(choice), logprobs: null, finish_reason: finishReason(choice) })),
    usage: usageOf(reply),
  }),
  events: chunksOf,
  errorEvents: (error, _events, _at, reply) => [{ data: { error: streamErrorBody(error, reply.model) } }],
  offSchema: (reply) => {
    // What a drifted API or a misbehaving gateway sends: the right envelope, the answer under
    // another name, no `choices`.
    const body = { ...envelope(reply, 'chat.completion'), message: { role: 'assistant', content: reply.reply.text }, usage: usageOf(reply) };
    return { body, events: [{ data: { ...body, object: 'chat.completion.chunk' } }, { data: '[DONE]' }] };
  },
};

function envelope(reply: ReplyOutcome, object: string) {
  return { id: `chatcmpl-${reply.id}`, object, created: reply.created, model: reply.model, service_tier: 'default' };
}

/** The finish reason: a stop sequence is reported as `stop`, as the real API does. */
function finishReason(reply: ProducedReply): string {
  return reply.stopReason === 'stop_sequence' ? 'stop' : reply.stopReason;
}

/**
 * The error object a Chat Completions stream ends with when the provider fails after the 200: a
 * last `data:` line with no `choices` and no `[DONE]` (openai-node core/streaming.js throws an
 * APIError on `data.error`). Overload uses the code OpenAI streams report it with
 * (`server_is_overloaded`, anomalyco/opencode#25730).
 */
function streamErrorBody(error: InStreamError, model: string) {
  switch (error.type) {
    case 'overloaded':
      return {
        message: error.message ?? 'Our servers are currently overloaded. Please try again later.',
        type: 'service_unavailable_error',
        param: null,
        code: 'server_is_overloaded',
      };
    case 'server':
      return {
        message: error.message ?? 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        param: null,
        code: null,
      };
    case 'rate-limit':
      return { message: error.message ?? openaiRateLimitMessage(model, 'tokens', 1000), type: 'tokens', param: null, code: 'rate_limit_exceeded' };
  }
}

function assistantMessage(reply: ProducedReply) {
  const toolCalls = reply.toolCalls.map((c) => ({
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: c.argumentsNull === true ? null : c.rawArguments },
  }));
  return {
    role: 'assistant',
    // The real API sends null content, not '', when the model only called tools.
    content: reply.text === '' && toolCalls.length > 0 ? null : reply.text,
    refusal: null,
    annotations: [],
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}

function usageOf({ usage }: ReplyOutcome) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/**
 * The stream: per choice, a first chunk with the role, the text in pieces, then each tool call —
 * its id, type and name in its first delta, its arguments in fragments after — then the finish
 * reason; then the usage chunk (empty `choices`) when asked for, and `[DONE]`. The first finish
 * chunk opens the closing events.
 */
function chunksOf(reply: ReplyOutcome, request: ChatRequest): SseEvent[] {
  const base = envelope(reply, 'chat.completion.chunk');
  // With include_usage, every chunk carries `usage: null` until the last one, as the real API sends.
  const usage = request.includeUsage ? { usage: null } : {};
  const events: SseEvent[] = [];
  const finishes: SseEvent[] = [];
  reply.choices.forEach((choice, index) => {
    const chunk = (delta: Record<string, unknown>, finish: string | null = null, content = false, args = false): SseEvent => ({
      data: { ...base, choices: [{ index, delta, logprobs: null, finish_reason: finish }], ...usage },
      content,
      ...(args ? { arguments: true } : {}),
    });
    events.push(chunk({ role: 'assistant', content: '', refusal: null }));
    for (const piece of textChunks(choice.text)) events.push(chunk({ content: piece }, null, true));
    choice.toolCalls.forEach((call, i) => {
      const header = { index: i, id: call.id, type: 'function', function: { name: call.name, arguments: call.argumentsNull === true ? null : '' } };
      events.push(chunk({ tool_calls: [header] }));
      for (const piece of textChunks(call.rawArguments)) events.push(chunk({ tool_calls: [{ index: i, function: { arguments: piece } }] }, null, true, true));
    });
    finishes.push(chunk({}, finishReason(choice)));
  });
  const closing: SseEvent[] = [...finishes];
  if (request.includeUsage) closing.push({ data: { ...base, choices: [], usage: usageOf(reply) } });
  closing.push({ data: '[DONE]' });
  return [...events, { ...(closing[0] as SseEvent), end: true }, ...closing.slice(1)];
}

function parseChatRequest(body: Record<string, unknown>): ChatRequest | RequestProblem {
  const { model, messages } = body;
  if (model === undefined) return missing('model');
  if (typeof model !== 'string') return invalidType('model', 'a string', model);
  if (messages === undefined) return missing('messages');
  if (!Array.isArray(messages)) return invalidType('messages', 'an array', messages);
  if (messages.length === 0)
    return requestProblem(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  const system: string[] = [];
  const history: Message[] = [];
  for (const [i, raw] of messages.entries()) {
    const m = objectOf(raw);
    if (m === undefined) return invalidType(`messages.[${i}]`, 'an object', raw);
    const read = readMessage(m, i);
    if (read === 'system') system.push(textOf(m.content));
    else if ('problem' in read) return read;
    else history.push(read);
  }
  const pairing = findPairingProblem(history, true);
  if (pairing !== undefined) {
    return pairing.kind === 'orphan-result'
      ? requestProblem(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${pairing.index}].role`,
        )
      : requestProblem(
          `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${pairing.callIds.join(', ')}`,
          `messages.[${pairing.index}].role`,
        );
  }
  const tools = readTools(body.tools);
  if ('problem' in tools) return tools;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  const stop = readStop(body.stop);
  if (isRequestProblem(stop)) return stop;
  const toolChoice = readToolChoice(body.tool_choice);
  if (isRequestProblem(toolChoice)) return toolChoice;
  const n = body.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 128) {
    return requestProblem(`Invalid 'n': expected an integer between 1 and 128, but got ${JSON.stringify(n)} instead.`, 'n', 'invalid_value');
  }
  const responseFormat = readFormat(body.response_format);
  const conversation: Conversation = {
    api: 'openai.chat',
    model,
    system: system.join('\n\n'),
    messages: history,
    tools: tools.specs,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    ...(stop === undefined ? {} : { stop }),
    ...(toolChoice === undefined ? {} : { toolChoice }),
    ...(responseFormat === undefined ? {} : { responseFormat }),
  };
  return { conversation, stream: body.stream === true, n, includeUsage: objectOf(body.stream_options)?.include_usage === true };
}

/** One wire message as a neutral Message; system and developer messages are gathered apart. */
function readMessage(m: Record<string, unknown>, i: number): Message | 'system' | RequestProblem {
  switch (m.role) {
    case 'system':
    case 'developer':
      return 'system';
    case 'user':
      return { role: 'user', content: textOf(m.content) };
    case 'assistant': {
      const calls = Array.isArray(m.tool_calls) ? m.tool_calls.map(objectOf) : [];
      const toolCalls = [];
      for (const call of calls) {
        const fn = objectOf(call?.function);
        if (call === undefined || typeof call.id !== 'string' || typeof fn?.name !== 'string') {
          return requestProblem(`Invalid 'messages.[${i}].tool_calls': each tool call needs an id and a function name.`, `messages.[${i}].tool_calls`);
        }
        const raw = typeof fn.arguments === 'string' ? fn.arguments : '';
        toolCalls.push({ id: call.id, name: fn.name, arguments: parseArguments(raw), rawArguments: raw });
      }
      return { role: 'assistant', content: textOf(m.content), ...(toolCalls.length > 0 ? { toolCalls } : {}) };
    }
    case 'tool':
      if (typeof m.tool_call_id !== 'string') return missing(`messages.[${i}].tool_call_id`);
      return { role: 'tool', content: textOf(m.content), toolCallId: m.tool_call_id };
    default:
      return requestProblem(
        `Invalid value: '${String(m.role)}'. Supported values are: 'system', 'assistant', 'user', 'tool', and 'developer'.`,
        `messages.[${i}].role`,
        'invalid_value',
      );
  }
}

/** Function tools as ToolSpecs (other tool kinds have nothing a simulated model could call). */
function readTools(tools: unknown): { specs: ToolSpec[] } | RequestProblem {
  if (tools === undefined || tools === null) return { specs: [] };
  if (!Array.isArray(tools)) return invalidType('tools', 'an array', tools);
  const specs: ToolSpec[] = [];
  for (const [i, raw] of tools.entries()) {
    const fn = objectOf(objectOf(raw)?.function);
    if (objectOf(raw)?.type !== 'function') continue;
    if (typeof fn?.name !== 'string') return missing(`tools[${i}].function.name`);
    specs.push({
      name: fn.name,
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      parameters: objectOf(fn.parameters) ?? { type: 'object', properties: {} },
    });
  }
  return { specs };
}
