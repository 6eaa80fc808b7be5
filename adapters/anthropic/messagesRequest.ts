// Reads a Messages API request body into the provider-neutral Conversation. It checks what the real
// API checks before a model runs (required fields, message roles), so that an agent sending a
// malformed request gets the 400 `invalid_request_error` it would get in production, worded the
// same way (`max_tokens: Field required`). Everything else is read leniently: a block type the
// simulated models cannot use is skipped rather than rejected.
import type { Conversation, Message, ToolChoice, ToolSpec } from '../../harness/world/llm/conversation.ts';
import { toolCallOf } from './toolInput.ts';

export interface MessagesRequest {
  readonly conversation: Conversation;
  readonly stream: boolean;
}

/** A request, or the reason the API would reject it. */
export type ParsedRequest = { readonly request: MessagesRequest } | { readonly problem: string };

type Block = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseMessagesRequest(body: unknown): ParsedRequest {
  if (!isObject(body)) return { problem: 'The request body must be a JSON object' };
  const { model, max_tokens: maxTokens, messages } = body;
  if (typeof model !== 'string' || model.length === 0) return { problem: 'model: Field required' };
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return { problem: 'max_tokens: Field required (an integer of at least 1)' };
  }
  if (!Array.isArray(messages)) return { problem: 'messages: Field required' };
  const neutral: Message[] = [];
  for (const [i, message] of messages.entries()) {
    if (!isObject(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      return { problem: `messages.${i}.role: Input should be 'user' or 'assistant'` };
    }
    const blocks = blocksOf(message.content);
    if (blocks === undefined) return { problem: `messages.${i}.content: Input should be a valid string or a list of content blocks` };
    neutral.push(...(message.role === 'user' ? userMessages(blocks) : [assistantMessage(blocks)]));
  }
  const stop = body.stop_sequences;
  if (stop !== undefined && !(Array.isArray(stop) && stop.every((s) => typeof s === 'string')))
    return { problem: 'stop_sequences: Input should be a valid list of strings' };
  const toolChoice = toolChoiceOf(body.tool_choice);
  if (toolChoice === null) return { problem: "tool_choice: Input tag should be 'auto', 'any', 'tool' or 'none' (a 'tool' choice needs a name)" };
  return {
    request: {
      conversation: {
        api: 'anthropic.messages',
        model,
        system: textOf(blocksOf(body.system) ?? []),
        messages: neutral,
        tools: toolsOf(body.tools),
        maxTokens,
        ...(stop === undefined ? {} : { stop: stop as string[] }),
        ...(toolChoice === undefined ? {} : { toolChoice }),
      },
      stream: body.stream === true,
    },
  };
}

/** `tool_choice` (`{ type: 'auto' | 'any' | 'tool' | 'none', name? }`) in the neutral form; null when malformed. */
function toolChoiceOf(choice: unknown): ToolChoice | undefined | null {
  if (choice === undefined) return undefined;
  if (!isObject(choice)) return null;
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'none':
      return 'none';
    case 'any':
      return 'required';
    case 'tool':
      return typeof choice.name === 'string' ? { name: choice.name } : null;
    default:
      return null;
  }
}

/** Content as a list of blocks: a string is one text block. Undefined when it is neither. */
function blocksOf(content: unknown): Block[] | undefined {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return undefined;
  return content.filter(isObject);
}

/**
 * The text of some blocks, joined by newlines. Images and documents stand in as `[image]` and
 * `[document]`, so that a brain can tell they were there; other kinds carry no text for a brain.
 */
function textOf(blocks: readonly Block[]): string {
  const parts: string[] = [];
  for (const block of blocks) {
    if (block.type === 'text' && typeof block.text === 'string') parts.push(block.text);
    else if (block.type === 'image' || block.type === 'document') parts.push(`[${block.type}]`);
  }
  return parts.join('\n');
}

/**
 * A user turn: each `tool_result` block becomes a `tool` message (in order, as the API requires
 * them to come first), and the remaining blocks one user message after them.
 */
function userMessages(blocks: readonly Block[]): Message[] {
  const out: Message[] = [];
  for (const block of blocks) {
    if (block.type !== 'tool_result') continue;
    out.push({
      role: 'tool',
      content: textOf(blocksOf(block.content) ?? []),
      toolCallId: typeof block.tool_use_id === 'string' ? block.tool_use_id : '',
      isError: block.is_error === true,
    });
  }
  const rest = blocks.filter((b) => b.type !== 'tool_result');
  if (rest.length > 0 || out.length === 0) out.push({ role: 'user', content: textOf(rest) });
  return out;
}

/** An assistant turn: its text, and its `tool_use` blocks as tool calls. */
function assistantMessage(blocks: readonly Block[]): Message {
  const toolCalls = blocks.filter((b) => b.type === 'tool_use').map(toolCallOf);
  const content = textOf(blocks);
  return toolCalls.length === 0 ? { role: 'assistant', content } : { role: 'assistant', content, toolCalls };
}

/**
 * The client tools on offer. Server tools (web search, code execution) have no `input_schema`;
 * simulated models cannot run them, so they are not offered to brains.
 */
function toolsOf(tools: unknown): ToolSpec[] {
  if (!Array.isArray(tools)) return [];
  const out: ToolSpec[] = [];
  for (const tool of tools) {
    if (!isObject(tool) || typeof tool.name !== 'string' || !isObject(tool.input_schema)) continue;
    out.push({
      name: tool.name,
      ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
      parameters: tool.input_schema,
    });
  }
  return out;
}
