// server-error: the provider or service answers with a 5xx before doing any work.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const serverError = defineFaultKind({
  kind: 'server-error',
  summary: 'An HTTP 5xx in the service’s own error shape, which SDKs retry (`maxRetries`, 2 by default).',
  params: withDefaults({
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504), z.literal(529)]).default(503),
    message: z.string().optional(),
  }),
  layers: {
    http: "the status with a JSON error body: Anthropic's `{ type: 'error', error }` for api.anthropic.com, `{ error: { message, type } }` elsewhere",
    llm: 'the status with the provider’s error body; 529 is `overloaded_error` on Anthropic and a plain `server_error` on OpenAI, which has no 529',
    mcp: 'over HTTP, the request is answered with the status and a plain-text reason, as from the proxy in front of the server, before the server sees it; the in-process transport has no HTTP status (no effect, with the reason)',
  },
  refuse: (params, where) =>
    where.layer === 'mcp' && params.status === 529
      ? "529 is Anthropic's own overload status; the proxy in front of an MCP server answers 500, 502, 503 or 504"
      : undefined,
  apis: {
    'openai.chat': '`{ error: { message, type: "server_error", param: null, code: null } }`',
    'openai.responses': 'as Chat Completions',
    'anthropic.messages': '`{ type: "error", error: { type: "api_error" | "overloaded_error", message }, request_id }`',
    direct: 'world.llm throws LlmError with the status',
    'gemini.generateContent':
      '`{ error: { code, message, status } }`: 500 INTERNAL, 503 UNAVAILABLE "The model is overloaded. Please try again later.", 504 DEADLINE_EXCEEDED; Google has no 529 and answers no 502 in this shape, so both arrive as 503 UNAVAILABLE (ai.google.dev/gemini-api/docs/troubleshooting)',
    'bedrock.converse':
      '500 InternalServerException; Bedrock has no 502, 504 or 529 of its own, so those arrive as 503 ServiceUnavailableException (`x-amzn-ErrorType`, `{"message"}`), which the AWS SDK retries as transient (50 ms base, full jitter)',
    'azure.openai': '503 `{ error: { code: "ServiceUnavailable", message } }`; other statuses pass the model backend’s OpenAI-shaped error through',
  },
});
