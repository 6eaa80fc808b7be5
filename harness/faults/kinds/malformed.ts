// malformed: a tool call whose arguments are not what the tool expects, in the shapes models and
// providers really send. A whole Anthropic response always carries `tool_use.input` as an object
// (the server parses it), so there only content breaks, never the wire type.
import { z } from 'zod';
import { defineFaultKind, type EffectRecorder } from '../faultKind.ts';
import type { ReplyHooks } from '../hooks.ts';
import { withDefaults } from '../paramSchemas.ts';
import { breakJsonText, completeFieldsOf, cutInsideMultibyte, wrongTypeOf } from './malformedShapes.ts';

const MODES = ['truncated-json', 'not-json', 'wrong-type', 'empty-arguments', 'null-arguments', 'cut-multibyte'] as const;
type Mode = (typeof MODES)[number];

export const malformed = defineFaultKind({
  kind: 'malformed',
  summary: 'The first tool call’s arguments (or a JSON text answer) arrive broken, in a shape the provider really sends.',
  params: withDefaults({ mode: z.enum(MODES).default('truncated-json') }),
  layers: {
    llm: 'truncated-json: cut in half, as by max_tokens (finish reason length); not-json: not JSON; wrong-type: a JSON object whose first field has another type; empty-arguments: `""`; null-arguments: `null`; cut-multibyte: cut inside a multi-byte character, which arrives as U+FFFD (finish reason length)',
  },
  apis: {
    'openai.chat':
      'every mode on `function.arguments`; null-arguments is `"arguments": null` as OpenAI-compatible providers send it (DeepSeek via DeepInfra, open-webui#27195); "" is what zero-argument calls get from many (openai-agents-js#664, cheshire-cat-ai/core#1140)',
    'openai.responses': 'every mode but null-arguments (`arguments` is always a string in a Responses function_call item)',
    'anthropic.messages':
      'streamed: the `partial_json` fragments carry the broken text; whole: `input` stays an object — truncated-json and cut-multibyte keep the fields that were complete (`{}` when none, as for a max_tokens cut: mattmezza/humux#77), wrong-type changes a field, empty-arguments is `{}`, not-json and null-arguments have no whole-response shape and change nothing',
    direct: 'as Chat Completions, on the ToolCall’s rawArguments',
    'gemini.generateContent':
      'function-call `args` are an object on the wire, whole or streamed, so broken JSON never reaches the client: truncated-json, not-json and cut-multibyte are Gemini’s own answer to a broken call, a candidate with finishReason MALFORMED_FUNCTION_CALL and no content (captured gemini-1.5-pro streams; ai.google.dev/api/generate-content#FinishReason); wrong-type changes a field; empty-arguments is `args: {}`; null-arguments has no shape',
    'bedrock.converse':
      'streamed: the `toolUse.input` fragments carry the broken text; whole: `input` is an object — truncated-json and cut-multibyte keep the complete fields (stopReason max_tokens), not-json is stopReason `malformed_tool_use` without the toolUse block (API_runtime_Converse.html#StopReason), wrong-type changes a field, empty-arguments is `{}`, null-arguments has no shape',
    'azure.openai': 'as Chat Completions',
  },
  onReply: (reply, params, hit) => breakReply(reply, params.mode, hit),
});

function breakReply(reply: ReplyHooks, mode: Mode, hit: EffectRecorder): void {
  const call = reply.toolCalls[0];
  if (call === undefined) {
    breakText(reply, mode, hit);
    return;
  }
  // Where the server parses the call's JSON, the client gets an object (or the server's refusal), never the broken text.
  const wholeAnthropic = (reply.api === 'anthropic.messages' || reply.api === 'bedrock.converse') && !reply.streamed;
  if (reply.api === 'gemini.generateContent' && (mode === 'truncated-json' || mode === 'not-json' || mode === 'cut-multibyte')) {
    refuseCall(reply, mode, call.name, hit);
    return;
  }
  if (reply.api === 'bedrock.converse' && wholeAnthropic && mode === 'not-json') {
    refuseCall(reply, mode, call.name, hit);
    return;
  }
  const raw = call.rawArguments;
  let next: { raw: string; parsed: unknown; length?: boolean } | string;
  switch (mode) {
    case 'truncated-json':
      next = wholeAnthropic
        ? completeFieldsOf(raw, Math.floor(raw.length / 2))
        : { raw: raw.slice(0, Math.max(1, Math.floor(raw.length / 2))), parsed: undefined, length: true };
      break;
    case 'not-json':
      next = wholeAnthropic
        ? 'a whole Messages response carries tool input parsed by the server, never unparsed text'
        : { raw: breakJsonText(raw), parsed: undefined };
      break;
    case 'wrong-type':
      next = wrongTypeOf(call.arguments);
      break;
    case 'empty-arguments':
      next = OBJECT_ARGUMENTS.has(reply.api) ? { raw: '{}', parsed: {} } : { raw: '', parsed: undefined };
      break;
    case 'null-arguments':
      next = reply.api === 'openai.chat' || reply.api === 'direct' ? { raw: 'null', parsed: null } : `${reply.api} never sends null tool arguments`;
      break;
    case 'cut-multibyte':
      next = cutInsideMultibyte(raw, wholeAnthropic);
      break;
  }
  if (typeof next === 'string') {
    hit.noEffect(next);
    return;
  }
  if (next.raw === raw) {
    hit.noEffect(`the arguments are already ${JSON.stringify(raw)}`);
    return;
  }
  reply.setArguments(0, next.raw, next.parsed);
  if (next.length === true) reply.setStopReason('length');
  hit.effect({ mode, tool: call.name });
}

/** APIs whose tool arguments are a JSON object on the wire, so an empty call is `{}`. */
const OBJECT_ARGUMENTS = new Set(['anthropic.messages', 'bedrock.converse', 'gemini.generateContent']);

/** The provider refuses the broken call itself: Gemini's MALFORMED_FUNCTION_CALL, Bedrock's malformed_tool_use. */
function refuseCall(reply: ReplyHooks, mode: Mode, tool: string, hit: EffectRecorder): void {
  reply.setStopReason('malformed_call');
  hit.effect({ mode, tool, refused: true });
}

/** A JSON text answer (no tool calls) breaks the same way; other modes need a tool call. */
function breakText(reply: ReplyHooks, mode: Mode, hit: EffectRecorder): void {
  const text = reply.text.trim();
  if (!(text.startsWith('{') || text.startsWith('['))) {
    hit.noEffect('the answer has no tool call and no JSON text');
    return;
  }
  if (mode === 'truncated-json') reply.setText(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
  else if (mode === 'not-json') reply.setText(breakJsonText(text));
  else {
    hit.noEffect(`${mode} needs a tool call; the answer is a JSON text`);
    return;
  }
  hit.effect({ mode, tool: null });
}
