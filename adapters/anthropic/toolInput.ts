// How a tool call travels in the Messages API: as a `tool_use` block whose `input` is a JSON object.
// A whole (non-streamed) response always carries an object, because the server parses the model's
// arguments; only a streamed response's `partial_json` fragments can carry text that is not JSON.
// Faultline's ToolCall keeps the arguments as the model produced them (`rawArguments`), so the
// whole-response `input` is their object, `{}` for a call without arguments, or, for text cut
// short, the fields that were complete (as the API returns a tool_use cut by max_tokens).
import { completeFieldsOf } from '../../harness/faults/kinds/malformedShapes.ts';
import type { ToolCall } from '../../harness/world/llm/conversation.ts';

/** The parsed JSON of `raw`, or undefined when it is not JSON. */
export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** The `input` object of the tool_use block that carries `call` in a whole response. */
export function toolInputOf(call: ToolCall): Record<string, unknown> {
  const parsed = parseJson(call.rawArguments);
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  if (call.rawArguments.trim() === '' || parsed !== undefined) return {};
  return completeFieldsOf(call.rawArguments, call.rawArguments.length).parsed as Record<string, unknown>;
}

/** The ToolCall behind a `tool_use` block an agent sent back in an assistant message. */
export function toolCallOf(block: Readonly<Record<string, unknown>>): ToolCall {
  // A string input is broken text an agent kept from a stream; it goes back to the model as is.
  const raw = typeof block.input === 'string' ? block.input : JSON.stringify(block.input ?? {});
  return {
    id: typeof block.id === 'string' ? block.id : '',
    name: typeof block.name === 'string' ? block.name : '',
    arguments: parseJson(raw),
    rawArguments: raw,
  };
}
