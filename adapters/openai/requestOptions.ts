// Request options both OpenAI APIs share, read leniently the way the real API reads them: stop
// sequences, tool_choice, and the structured-output format (passed to brains as is).
import type { ToolChoice } from '../../harness/world/llm/conversation.ts';
import { objectOf } from './content.ts';
import { type RequestProblem, requestProblem } from './errors.ts';

/** `stop`: a string or up to four strings (Chat Completions). */
export function readStop(stop: unknown): readonly string[] | RequestProblem | undefined {
  if (stop === undefined || stop === null) return undefined;
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.every((s) => typeof s === 'string')) {
    if (stop.length > 4)
      return requestProblem(
        `Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length ${stop.length} instead.`,
        'stop',
        'array_above_max_length',
      );
    return stop as string[];
  }
  return requestProblem("Invalid type for 'stop': expected a string or an array of strings.", 'stop', 'invalid_type');
}

/**
 * `tool_choice`: "auto" | "none" | "required", or a named function — `{ type: "function",
 * function: { name } }` in Chat Completions, `{ type: "function", name }` in Responses.
 */
export function readToolChoice(choice: unknown): ToolChoice | RequestProblem | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  const named = objectOf(choice);
  const name = objectOf(named?.function)?.name ?? named?.name;
  if (named?.type === 'function' && typeof name === 'string') return { name };
  return requestProblem(`Invalid value for 'tool_choice': expected 'none', 'auto', 'required', or a named function.`, 'tool_choice', 'invalid_value');
}

/** A structured-output format object (`response_format`, `text.format`), when one was sent. */
export function readFormat(format: unknown): Readonly<Record<string, unknown>> | undefined {
  return objectOf(format);
}
