// stream-error: the provider reports an error inside a stream it already answered with 200. SDKs
// retry statuses, not these, which is the bug teams hit (vercel/ai#2453, anomalyco/opencode#25730).
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const streamError = defineFaultKind({
  kind: 'stream-error',
  summary: 'HTTP 200, the stream starts, then the provider sends its own error event and closes the stream.',
  params: withDefaults({
    /** The content boundary at which the error arrives (0: right after the stream opened). */
    afterChunks: z.number().int().min(0).default(0),
    error: z.enum(['overloaded', 'server', 'rate-limit']).default('overloaded'),
    message: z.string().min(1).optional(),
    /** Responses API: an `error` event (default) or a terminal `response.failed`. */
    form: z.enum(['error', 'response.failed']).default('error'),
  }),
  layers: {
    llm: 'at content boundary afterChunks the stream carries the provider’s error event, then closes; the official SDKs throw an APIError, which they do not retry',
  },
  apis: {
    'anthropic.messages':
      '`event: error` / `data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}` (docs.anthropic.com/en/docs/build-with-claude/streaming#error-events); `api_error`, `rate_limit_error` likewise',
    'openai.responses':
      '`event: error` / `data: {"type":"error","sequence_number":n,"error":{"type":"service_unavailable_error","code":"server_is_overloaded","message":"Our servers are currently overloaded. Please try again later.","param":null}}` (anomalyco/opencode#25730), or `event: response.failed` whose response has status "failed" and error { code, message } (openai-node ResponseFailedEvent)',
    'openai.chat':
      'a last `data: {"error":{"message":…,"type":…,"param":null,"code":…}}` line with no choices and no `[DONE]`; openai-node Stream throws APIError on `data.error` (core/streaming.js)',
    direct: 'not streamed: no effect',
    'gemini.generateContent':
      'a last event `data: {"error": {"code": 503, "message": "The model is overloaded. …", "status": "UNAVAILABLE"}}` (429 RESOURCE_EXHAUSTED, 500 INTERNAL likewise); @google/genai throws it as an ApiError (throwIfStreamErrorChunk in its reader)',
    'bedrock.converse':
      'an event-stream message of type `exception` (`:exception-type: serviceUnavailableException` | `internalServerException` | `throttlingException`) with `{"message"}`; the AWS SDK throws the modeled exception from the stream (API_runtime_ConverseStream.html)',
    'azure.openai': 'as Chat Completions',
  },
  onBody: (body, params, hit) => {
    if (!body.streamed) return hit.noEffect('the response was not streamed: an error inside a stream needs a stream');
    if (params.afterChunks > body.contentChunks) return hit.noEffect(`the stream has only ${body.contentChunks} content chunks`);
    const error = { type: params.error, message: params.message, form: params.form };
    const ok = body.failAt(params.afterChunks, error, () => hit.effect({ afterChunks: params.afterChunks, error: params.error }));
    if (!ok) hit.noEffect(`${body.api} has no in-stream error event`);
  },
});
