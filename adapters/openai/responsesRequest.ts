// Reading a Responses API request (`POST /responses`) into a Conversation: `instructions`, `input`
// (a string, or items — messages with text parts, `function_call` and `function_call_output`),
// function `tools`, and `previous_response_id`, which continues a stored response's conversation.
import type { Conversation, Message, ToolCall, ToolSpec } from '../../harness/world/llm/conversation.ts';
import { objectOf, parseArguments, textOf } from './content.ts';
import { isRequestProblem, type RequestProblem, requestProblem } from './errors.ts';
import { readFormat, readToolChoice } from './requestOptions.ts';
import { invalidType, missing, type WireRequest } from './serve.ts';
import { findPairingProblem } from './toolPairing.ts';

export interface ResponsesRequest extends WireRequest {
  /** `text.format` as sent, echoed back in the response's `text`. */
  readonly format?: Readonly<Record<string, unknown>>;
  /** `tool_choice` as sent, echoed back. */
  readonly toolChoice?: unknown;
  /** Request fields the response object echoes back, as the real API does. */
  readonly echo: {
    readonly instructions: string | null;
    readonly tools: readonly unknown[];
    readonly max_output_tokens: number | null;
    readonly previous_response_id: string | null;
    readonly store: boolean;
    readonly temperature: number;
    readonly top_p: number;
    readonly metadata: Record<string, unknown>;
  };
}

/** The conversations of stored responses, by response id: what `previous_response_id` continues. */
export type ResponseHistory = Map<string, readonly Message[]>;

export function parseResponsesRequest(body: Record<string, unknown>, history: ResponseHistory): ResponsesRequest | RequestProblem {
  const { model, input, instructions } = body;
  if (model === undefined) return missing('model');
  if (typeof model !== 'string') return invalidType('model', 'a string', model);
  if (instructions !== undefined && instructions !== null && typeof instructions !== 'string') return invalidType('instructions', 'a string', instructions);
  const previous = body.previous_response_id;
  if (previous !== undefined && previous !== null && typeof previous !== 'string') return invalidType('previous_response_id', 'a string', previous);
  const before = typeof previous === 'string' ? history.get(previous) : [];
  if (before === undefined) {
    return requestProblem(`Previous response with id '${String(previous)}' not found.`, 'previous_response_id', 'previous_response_not_found');
  }
  if (input === undefined && before.length === 0) return missing('input');
  const read = readInput(input ?? []);
  if ('problem' in read) return read;
  const messages = [...before, ...read.messages];
  const pairing = findPairingProblem(messages, false);
  if (pairing !== undefined) {
    return pairing.kind === 'orphan-result'
      ? requestProblem(`No tool call found for function call output with call_id ${pairing.callId}.`, 'input')
      : requestProblem(`No tool output found for function call ${pairing.callIds.join(', ')}.`, 'input');
  }
  const tools = readTools(body.tools);
  if ('problem' in tools) return tools;
  const maxTokens = typeof body.max_output_tokens === 'number' ? body.max_output_tokens : null;
  const toolChoice = readToolChoice(body.tool_choice);
  if (isRequestProblem(toolChoice)) return toolChoice;
  const format = readFormat(objectOf(body.text)?.format);
  const conversation: Conversation = {
    api: 'openai.responses',
    model,
    // Instructions are not carried over from a previous response: each request brings its own.
    system: [typeof instructions === 'string' ? instructions : '', ...read.system].filter((s) => s !== '').join('\n\n'),
    messages,
    tools: tools.specs,
    maxTokens: maxTokens ?? undefined,
    ...(toolChoice === undefined ? {} : { toolChoice }),
    ...(format === undefined ? {} : { responseFormat: format }),
  };
  const echo = {
    instructions: typeof instructions === 'string' ? instructions : null,
    tools: Array.isArray(body.tools) ? body.tools : [],
    max_output_tokens: maxTokens,
    previous_response_id: typeof previous === 'string' ? previous : null,
    store: body.store !== false,
    temperature: typeof body.temperature === 'number' ? body.temperature : 1,
    top_p: typeof body.top_p === 'number' ? body.top_p : 1,
    metadata: objectOf(body.metadata) ?? {},
  };
  return {
    conversation,
    stream: body.stream === true,
    echo,
    ...(format === undefined ? {} : { format }),
    ...(body.tool_choice === undefined || body.tool_choice === null ? {} : { toolChoice: body.tool_choice }),
  };
}

/** Input items as messages; system and developer messages are gathered apart. */
function readInput(input: unknown): { messages: Message[]; system: string[] } | RequestProblem {
  if (typeof input === 'string') return { messages: [{ role: 'user', content: input }], system: [] };
  if (!Array.isArray(input)) return invalidType('input', 'a string or an array', input);
  const messages: Message[] = [];
  const system: string[] = [];
  for (const [i, raw] of input.entries()) {
    const item = objectOf(raw);
    if (item === undefined) return invalidType(`input[${i}]`, 'an object', raw);
    const type = item.type ?? 'message';
    if (type === 'message') {
      const role = item.role;
      if (role === 'system' || role === 'developer') system.push(textOf(item.content));
      else if (role === 'user' || role === 'assistant') messages.push({ role, content: textOf(item.content) });
      else
        return requestProblem(
          `Invalid value: '${String(role)}'. Supported values are: 'assistant', 'system', 'developer', and 'user'.`,
          `input[${i}].role`,
          'invalid_value',
        );
    } else if (type === 'function_call') {
      const call = readFunctionCall(item, i);
      if ('problem' in call) return call;
      appendCall(messages, call);
    } else if (type === 'function_call_output') {
      if (typeof item.call_id !== 'string') return missing(`input[${i}].call_id`);
      messages.push({ role: 'tool', content: textOf(item.output), toolCallId: item.call_id });
    }
    // Other items (reasoning, web search calls, …) carry nothing a simulated model reads.
  }
  return { messages, system };
}

function readFunctionCall(item: Record<string, unknown>, i: number): ToolCall | RequestProblem {
  if (typeof item.call_id !== 'string') return missing(`input[${i}].call_id`);
  if (typeof item.name !== 'string') return missing(`input[${i}].name`);
  const raw = typeof item.arguments === 'string' ? item.arguments : '';
  return { id: item.call_id, name: item.name, arguments: parseArguments(raw), rawArguments: raw };
}

/**
 * A function call joins the assistant message just before it (the model said something, then
 * called tools), or starts one: the neutral shape keeps one assistant turn per model answer.
 */
function appendCall(messages: Message[], call: ToolCall): void {
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant') messages[messages.length - 1] = { ...last, toolCalls: [...(last.toolCalls ?? []), call] };
  else messages.push({ role: 'assistant', content: '', toolCalls: [call] });
}

/** Function tools as ToolSpecs (built-in tools have nothing a simulated model could call). */
function readTools(tools: unknown): { specs: ToolSpec[] } | RequestProblem {
  if (tools === undefined || tools === null) return { specs: [] };
  if (!Array.isArray(tools)) return invalidType('tools', 'an array', tools);
  const specs: ToolSpec[] = [];
  for (const [i, raw] of tools.entries()) {
    const tool = objectOf(raw);
    if (tool?.type !== 'function') continue;
    if (typeof tool.name !== 'string') return missing(`tools[${i}].name`);
    specs.push({
      name: tool.name,
      ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
      parameters: objectOf(tool.parameters) ?? { type: 'object', properties: {} },
    });
  }
  return { specs };
}
