// How a tool call travels in the Messages API: as a `tool_use` block whose `input` is a JSON value.
// Faultline's ToolCall keeps the arguments exactly as the model produced them (`rawArguments`),
// which a `malformed` fault may have broken. The real API only ever sends an object, but a broken
// call has no object to send: the adapter then sends the unparsed string, so that agent code sees
// a tool input that is not what its tool expects, as it would from a model that emitted bad JSON.
import type { ToolCall } from '../../harness/world/llm/conversation.ts';

/** The parsed JSON of `raw`, or undefined when it is not JSON. */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** The `input` of the tool_use block that carries `call`: its JSON value, or the raw text if broken. */
export function toolInputOf(call: ToolCall): unknown {
  const parsed = parseJson(call.rawArguments);
  return parsed === undefined ? call.rawArguments : parsed;
}

/** The ToolCall behind a `tool_use` block an agent sent back in an assistant message. */
export function toolCallOf(block: Readonly<Record<string, unknown>>): ToolCall {
  // A string input is the broken text this adapter sent earlier; it goes back to the model as is.
  const raw = typeof block.input === 'string' ? block.input : JSON.stringify(block.input ?? {});
  return {
    id: typeof block.id === 'string' ? block.id : '',
    name: typeof block.name === 'string' ? block.name : '',
    arguments: parseJson(raw),
    rawArguments: raw,
  };
}
