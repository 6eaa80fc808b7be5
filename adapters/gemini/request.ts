// Reads a Gemini `generateContent` request body (ai.google.dev/api/generate-content) into the
// provider-neutral Conversation: `contents` (roles `user` and `model`, with text, `functionCall` and
// `functionResponse` parts), `systemInstruction`, `tools[].functionDeclarations`,
// `toolConfig.functionCallingConfig` and `generationConfig`. The REST API accepts the proto field
// names in camelCase and snake_case alike, and so does this reader. Gemini function calls carry no
// id (unless the client sends one): a response pairs with the earliest unanswered call of its name.
// What the API refuses before a model runs is refused here with its INVALID_ARGUMENT wording.
import type { Conversation, Message, ToolCall, ToolChoice, ToolSpec } from '../../harness/world/llm/conversation.ts';

type Json = Readonly<Record<string, unknown>>;

export interface GeminiRequest {
  readonly conversation: Conversation;
}

/** The request, or the message of the 400 INVALID_ARGUMENT the API answers it with. */
export type ParsedGemini = { readonly request: GeminiRequest } | { readonly problem: string };

function objectOf(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A field by its camelCase name or its snake_case proto name. */
function field(o: Json | undefined, camel: string): unknown {
  if (o === undefined) return undefined;
  return o[camel] ?? o[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

export function parseGeminiRequest(body: unknown, model: string): ParsedGemini {
  const request = objectOf(body);
  if (request === undefined) return { problem: 'Invalid JSON payload received. Expected an object.' };
  const contents = field(request, 'contents');
  if (!Array.isArray(contents) || contents.length === 0) return { problem: '* GenerateContentRequest.contents: contents is not specified\n' };
  const messages = readContents(contents);
  if (typeof messages === 'string') return { problem: messages };
  const tools = readTools(field(request, 'tools'));
  const config = objectOf(field(request, 'generationConfig'));
  const maxTokens = field(config, 'maxOutputTokens');
  const stop = field(config, 'stopSequences');
  const toolChoice = readToolChoice(objectOf(field(objectOf(field(request, 'toolConfig')), 'functionCallingConfig')));
  const format = readFormat(config);
  const conversation: Conversation = {
    api: 'gemini.generateContent',
    model,
    system: textOf(field(objectOf(field(request, 'systemInstruction')), 'parts')),
    messages,
    tools,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    ...(Array.isArray(stop) && stop.length > 0 ? { stop: stop.filter((s): s is string => typeof s === 'string') } : {}),
    ...(toolChoice === undefined ? {} : { toolChoice }),
    ...(format === undefined ? {} : { responseFormat: format }),
  };
  return { request: { conversation } };
}

function textOf(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  return parts.map((p) => (typeof objectOf(p)?.text === 'string' && objectOf(p)?.thought !== true ? (objectOf(p)?.text as string) : '')).join('');
}

/** The turns as neutral messages, or the problem the API reports. */
function readContents(contents: readonly unknown[]): Message[] | string {
  const messages: Message[] = [];
  const open: ToolCall[] = [];
  let calls = 0;
  for (const [i, raw] of contents.entries()) {
    const content = objectOf(raw);
    const parts = field(content, 'parts');
    if (content === undefined || !Array.isArray(parts)) return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`;
    const role = content.role ?? 'user';
    if (role === 'model') {
      const toolCalls: ToolCall[] = [];
      for (const part of parts) {
        const fc = objectOf(field(objectOf(part), 'functionCall'));
        if (fc === undefined || typeof fc.name !== 'string') continue;
        const args = objectOf(fc.args) ?? {};
        toolCalls.push({
          id: typeof fc.id === 'string' ? fc.id : `gemini-call-${calls++}`,
          name: fc.name,
          arguments: args,
          rawArguments: JSON.stringify(args),
        });
      }
      open.push(...toolCalls);
      messages.push({ role: 'assistant', content: textOf(parts), ...(toolCalls.length > 0 ? { toolCalls } : {}) });
      continue;
    }
    if (role !== 'user' && role !== 'function' && role !== 'tool') {
      return `Please use a valid role: user, model.`;
    }
    const results = readResponses(parts, open);
    if (typeof results === 'string') return results;
    messages.push(...results);
    const text = textOf(parts);
    if (text !== '' || results.length === 0) messages.push({ role: 'user', content: text });
  }
  return messages;
}

/** The functionResponse parts of a turn as tool messages, each answering the earliest open call of its name. */
function readResponses(parts: readonly unknown[], open: ToolCall[]): Message[] | string {
  const out: Message[] = [];
  for (const part of parts) {
    const fr = objectOf(field(objectOf(part), 'functionResponse'));
    if (fr === undefined) continue;
    const at = open.findIndex((c) => (typeof fr.id === 'string' ? c.id === fr.id : c.name === fr.name));
    if (at < 0) {
      return 'Please ensure that function response turn comes immediately after a function call turn. And the number of function response parts should be equal to number of function call parts of the function call turn.';
    }
    const call = open.splice(at, 1)[0] as ToolCall;
    const response = objectOf(fr.response) ?? {};
    out.push({ role: 'tool', content: resultText(response), toolCallId: call.id, ...(response.error !== undefined ? { isError: true } : {}) });
  }
  return out;
}

/**
 * The text of a function response. Gemini's docs ask for the output under `output` (or `error`), and
 * clients wrap it so: `{ output }`, `{ result }`, the AI SDK's `{ name, content }`. The wrapped value
 * is the text (a string as is, anything else as JSON), as a Chat Completions tool message's content
 * would be; any other response is its JSON.
 */
function resultText(response: Json): string {
  const keys = Object.keys(response).filter((k) => k !== 'name');
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only === undefined || !WRAPPERS.has(only)) return JSON.stringify(response);
  const value = response[only];
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const WRAPPERS = new Set(['output', 'result', 'content', 'error']);

function readTools(tools: unknown): ToolSpec[] {
  if (!Array.isArray(tools)) return [];
  const specs: ToolSpec[] = [];
  for (const tool of tools) {
    const declarations = field(objectOf(tool), 'functionDeclarations');
    if (!Array.isArray(declarations)) continue;
    for (const raw of declarations) {
      const d = objectOf(raw);
      if (typeof d?.name !== 'string') continue;
      const parameters = objectOf(field(d, 'parametersJsonSchema')) ?? objectOf(d.parameters) ?? { type: 'object', properties: {} };
      specs.push({ name: d.name, ...(typeof d.description === 'string' ? { description: d.description } : {}), parameters });
    }
  }
  return specs;
}

/** functionCallingConfig: AUTO (default), ANY (call some function; one allowed name names it), NONE. */
function readToolChoice(config: Json | undefined): ToolChoice | undefined {
  const mode = config?.mode;
  const allowed = field(config, 'allowedFunctionNames');
  if (mode === 'NONE') return 'none';
  if (mode === 'ANY' || mode === 'VALIDATED') {
    return Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === 'string' ? { name: allowed[0] } : mode === 'ANY' ? 'required' : 'auto';
  }
  return mode === 'AUTO' ? 'auto' : undefined;
}

/** A JSON answer asked for with `responseMimeType: application/json` (and a schema, if any). */
function readFormat(config: Json | undefined): Record<string, unknown> | undefined {
  const mime = field(config, 'responseMimeType');
  if (mime !== 'application/json') return undefined;
  const schema = objectOf(field(config, 'responseJsonSchema')) ?? objectOf(field(config, 'responseSchema'));
  return { type: 'json', mimeType: mime, ...(schema === undefined ? {} : { schema }) };
}
