// A Gemini `GenerateContentResponse` (ai.google.dev/api/generate-content#generatecontentresponse):
// `candidates` (each a `content` of role `model` with text and `functionCall` parts, a
// `finishReason` and an `index`), `usageMetadata`, `modelVersion` and `responseId`. A stream
// (`streamGenerateContent?alt=sse`) sends the same object in pieces: one event per text chunk, one
// per function call (Gemini streams a call whole, its `args` an object, never partial JSON), and a
// last event whose part is empty text, with the finish reason and the full usage — the shape of
// captured gemini-2.5-flash streams. Function-call args are objects on the wire, so a model's
// broken call JSON never reaches the client: Gemini answers it with finishReason
// MALFORMED_FUNCTION_CALL and no content instead.
import type { InStreamError } from '../../harness/faults/hooks.ts';
import type { ProducedReply } from '../../harness/world/llm/conversation.ts';
import type { LlmOutcome } from '../../harness/world/llm/llmService.ts';
import { type SseEvent, textChunks } from '../sse.ts';
import { geminiErrorBody } from './errors.ts';

export type ReplyOutcome = Extract<LlmOutcome, { kind: 'reply' }>;

/** Gemini's finish reasons (ai.google.dev/api/generate-content#FinishReason) for the neutral ones; a call ends with STOP. */
export function finishReasonOf(reply: ProducedReply): string {
  switch (reply.stopReason) {
    case 'length':
      return 'MAX_TOKENS';
    case 'malformed_call':
      return 'MALFORMED_FUNCTION_CALL';
    default:
      return 'STOP';
  }
}

type Part = { text: string } | { functionCall: { name: string; args: unknown } };

function partsOf(reply: ProducedReply): Part[] {
  if (reply.stopReason === 'malformed_call') return [];
  const parts: Part[] = reply.text === '' ? [] : [{ text: reply.text }];
  for (const call of reply.toolCalls) parts.push({ functionCall: { name: call.name, args: call.arguments ?? {} } });
  return parts;
}

function usageOf(outcome: ReplyOutcome, complete: boolean) {
  const { inputTokens, outputTokens } = outcome.usage;
  const prompt = { promptTokenCount: inputTokens };
  const details = { promptTokensDetails: [{ modality: 'TEXT', tokenCount: inputTokens }] };
  if (!complete) return { ...prompt, totalTokenCount: inputTokens, ...details };
  return { ...prompt, candidatesTokenCount: outputTokens, totalTokenCount: inputTokens + outputTokens, ...details };
}

/** A candidate; proto3 JSON leaves an empty list out, so an empty answer's content has only its role. */
function candidate(reply: ProducedReply, index: number, parts: Part[], finish: boolean) {
  if (finish && reply.stopReason === 'malformed_call') return { content: {}, finishReason: finishReasonOf(reply), index };
  const content = parts.length === 0 ? { role: 'model' } : { parts, role: 'model' };
  return { content, ...(finish ? { finishReason: finishReasonOf(reply) } : {}), index };
}

/** Gemini's response ids are 23 base64url characters (`IZI2acSKMoWl0-kPmYj2yQc`); the outcome's id, in that alphabet. */
function responseIdOf(outcome: ReplyOutcome): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return [...outcome.id.slice(0, 23)].map((ch, i) => alphabet[(Number.parseInt(ch, 36) * 7 + i * 13) % 64]).join('');
}

function envelope(outcome: ReplyOutcome, candidates: unknown[], complete: boolean) {
  return { candidates, usageMetadata: usageOf(outcome, complete), modelVersion: outcome.model, responseId: responseIdOf(outcome) };
}

/** The whole response of `generateContent`. */
export function geminiBody(outcome: ReplyOutcome): unknown {
  return envelope(
    outcome,
    outcome.choices.map((choice, index) => candidate(choice, index, partsOf(choice), true)),
    true,
  );
}

/** The events of `streamGenerateContent?alt=sse` (the first candidate; Gemini streams one). */
export function geminiEvents(outcome: ReplyOutcome): SseEvent[] {
  const { reply } = outcome;
  const chunk = (parts: Part[]) => envelope(outcome, [candidate(reply, 0, parts, false)], false);
  const events: SseEvent[] = [];
  if (reply.stopReason !== 'malformed_call') {
    for (const piece of textChunks(reply.text)) events.push({ data: chunk([{ text: piece }]), content: true });
    for (const call of reply.toolCalls) {
      events.push({ data: chunk([{ functionCall: { name: call.name, args: call.arguments ?? {} } }]), content: true, arguments: true });
    }
  }
  events.push({ data: envelope(outcome, [candidate(reply, 0, [{ text: '' }], true)], true), end: true });
  return events;
}

/**
 * The error a stream ends with when the model fails after the 200: a last event holding Google's
 * error object (`{"error": {"code": 503, "message": …, "status": "UNAVAILABLE"}}`), which
 * @google/genai throws as an ApiError (throwIfStreamErrorChunk in its reader).
 */
export function geminiErrorEvents(error: InStreamError, model: string): SseEvent[] {
  const status = error.type === 'rate-limit' ? 429 : error.type === 'overloaded' ? 503 : 500;
  const body = geminiErrorBody(status, model, { retryAfterMs: 1000, limit: 'tokens' });
  return [{ data: error.message === undefined ? body : { error: { ...body.error, message: error.message } } }];
}

/**
 * An `off-schema` answer: the shape of the PaLM API's `generateText` (`candidates[].output`), which
 * a Gemini client does not read, whole or as a stream of such objects.
 */
export function geminiOffSchema(outcome: ReplyOutcome): { body: unknown; events: SseEvent[] } {
  const legacy = (output: string) => ({ candidates: [{ output, safetyRatings: [] }] });
  return {
    body: legacy(outcome.reply.text),
    events: [...textChunks(outcome.reply.text).map((piece) => ({ data: legacy(piece) })), { data: legacy('') }],
  };
}
