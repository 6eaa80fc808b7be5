// Reads a Bedrock Converse request (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html)
// into the provider-neutral Conversation: `system` text blocks, `messages` (user turns with text and
// `toolResult` blocks, assistant turns with text and `toolUse` blocks), `inferenceConfig`
// (`maxTokens`, `stopSequences`) and `toolConfig` (`tools[].toolSpec`, `toolChoice`). What the
// service refuses before a model runs is refused with its ValidationException wording: a
// conversation that does not start with a user turn, a toolUse left without its toolResult, a
// toolResult answering no toolUse.
import type { Conversation, Message, ToolCall, ToolChoice, ToolSpec } from '../../harness/world/llm/conversation.ts';

type Json = Readonly<Record<string, unknown>>;

export interface ConverseRequest {
  readonly conversation: Conversation;
}

/** The request, or the message of the 400 ValidationException the service answers it with. */
export type ParsedConverse = { readonly request: ConverseRequest } | { readonly problem: string };

function objectOf(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function blocksOf(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(objectOf).filter((b): b is Json => b !== undefined) : [];
}

function textOf(blocks: readonly Json[]): string {
  return blocks.map((b) => (typeof b.text === 'string' ? b.text : '')).join('');
}

export function parseConverseRequest(body: unknown, model: string): ParsedConverse {
  const request = objectOf(body);
  const raw = request?.messages;
  if (!Array.isArray(raw)) return { problem: "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null" };
  if (objectOf(raw[0])?.role !== 'user') {
    return { problem: 'A conversation must start with a user message. Try again with a conversation that starts with a user message.' };
  }
  const messages: Message[] = [];
  let open: ToolCall[] = [];
  for (const [i, entry] of raw.entries()) {
    const m = objectOf(entry);
    const blocks = blocksOf(m?.content);
    if (m?.role === 'assistant') {
      if (open.length > 0) return { problem: expected(i - 1, open) };
      open = blocks.flatMap((b) => toolCallOf(objectOf(b.toolUse)));
      messages.push({ role: 'assistant', content: textOf(blocks), ...(open.length > 0 ? { toolCalls: open } : {}) });
      continue;
    }
    const results = blocks.flatMap((b) => (objectOf(b.toolResult) === undefined ? [] : [objectOf(b.toolResult) as Json]));
    for (const result of results) {
      const at = open.findIndex((c) => c.id === result.toolUseId);
      if (at < 0) return { problem: `The number of toolResult blocks at messages.${i}.content exceeds the number of toolUse blocks of previous turn.` };
      open.splice(at, 1);
      messages.push({
        role: 'tool',
        content: resultText(blocksOf(result.content)),
        toolCallId: String(result.toolUseId),
        ...(result.status === 'error' ? { isError: true } : {}),
      });
    }
    if (open.length > 0) return { problem: expected(i, open) };
    const text = textOf(blocks);
    if (text !== '' || results.length === 0) messages.push({ role: 'user', content: text });
  }
  if (open.length > 0) return { problem: expected(raw.length, open) };
  const config = objectOf(request?.inferenceConfig);
  const stop = config?.stopSequences;
  const toolConfig = objectOf(request?.toolConfig);
  const toolChoice = readToolChoice(objectOf(toolConfig?.toolChoice));
  const conversation: Conversation = {
    api: 'bedrock.converse',
    model,
    system: blocksOf(request?.system)
      .map((b) => (typeof b.text === 'string' ? b.text : ''))
      .filter((t) => t !== '')
      .join('\n'),
    messages,
    tools: readTools(toolConfig?.tools),
    maxTokens: typeof config?.maxTokens === 'number' ? config.maxTokens : undefined,
    ...(Array.isArray(stop) && stop.length > 0 ? { stop: stop.filter((s): s is string => typeof s === 'string') } : {}),
    ...(toolChoice === undefined ? {} : { toolChoice }),
  };
  return { request: { conversation } };
}

function expected(index: number, open: readonly ToolCall[]): string {
  return `Expected toolResult blocks at messages.${index}.content for the following Ids: ${open.map((c) => c.id).join(', ')}`;
}

function toolCallOf(use: Json | undefined): ToolCall[] {
  if (use === undefined || typeof use.name !== 'string' || typeof use.toolUseId !== 'string') return [];
  const input = use.input ?? {};
  return [{ id: use.toolUseId, name: use.name, arguments: input, rawArguments: JSON.stringify(input) }];
}

/** A toolResult's content: its text blocks, and its `json` blocks as JSON text. */
function resultText(blocks: readonly Json[]): string {
  return blocks.map((b) => (typeof b.text === 'string' ? b.text : b.json !== undefined ? JSON.stringify(b.json) : '')).join('');
}

function readTools(tools: unknown): ToolSpec[] {
  return blocksOf(tools).flatMap((t) => {
    const spec = objectOf(t.toolSpec);
    if (typeof spec?.name !== 'string') return [];
    const parameters = objectOf(objectOf(spec.inputSchema)?.json) ?? { type: 'object', properties: {} };
    return [{ name: spec.name, ...(typeof spec.description === 'string' ? { description: spec.description } : {}), parameters }];
  });
}

/** `{ auto: {} }`, `{ any: {} }` (call some tool) or `{ tool: { name } }`. */
function readToolChoice(choice: Json | undefined): ToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (objectOf(choice.tool) !== undefined) return { name: String(objectOf(choice.tool)?.name) };
  if (choice.any !== undefined) return 'required';
  return 'auto';
}
