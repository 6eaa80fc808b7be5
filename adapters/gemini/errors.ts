// Gemini API errors: Google's `{ "error": { "code", "message", "status", "details"? } }` with the
// HTTP status as `code` and the canonical gRPC status name as `status`
// (ai.google.dev/gemini-api/docs/troubleshooting#error-codes). A 429 is RESOURCE_EXHAUSTED and
// carries its retry hint in the body, not in a header: `details` holds a google.rpc.Help link, a
// google.rpc.QuotaFailure naming the quota, and a google.rpc.RetryInfo whose `retryDelay` is a
// protobuf Duration, and the message ends "Please retry in …s." (captured 429 bodies of the Gemini
// API, 2025: quota metric generate_content_free_tier_requests, "Please retry in 58.211901669s.").
// The SDKs read none of it: @google/genai retries 429/5xx only when `httpOptions.retryOptions` is
// set, with its own exponential backoff, and @ai-sdk/google with the AI SDK's (2 s, then 4 s).
import { durationJson, googlePretty } from './googleJson.ts';

interface Quota {
  readonly retryAfterMs: number;
  readonly limit: 'requests' | 'tokens';
}

const STATUS: Readonly<Record<number, { status: string; message: string }>> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  403: {
    status: 'PERMISSION_DENIED',
    message:
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  },
  404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  500: {
    status: 'INTERNAL',
    message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  },
  503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  504: { status: 'DEADLINE_EXCEEDED', message: 'The request timed out. Please try again.' },
};

/**
 * The status Gemini answers a simulated error with: Google has no 529 and its front end no 502 in
 * the API's shape, so an overload (529) arrives as its own 503 UNAVAILABLE "The model is
 * overloaded", and a 502 as 503 too.
 */
export function geminiStatus(status: number): number {
  return status === 529 || status === 502 ? 503 : status;
}

/** The error object for HTTP `status` (a 429 with its quota details). */
export function geminiErrorBody(status: number, model: string, quota?: Quota, message?: string) {
  const code = geminiStatus(status);
  if (code === 429) return rateLimitBody(model, quota ?? { retryAfterMs: 1000, limit: 'requests' });
  const known = STATUS[code] ?? { status: 'UNKNOWN', message: 'Unknown error.' };
  return { error: { code, message: message ?? known.message, status: known.status } };
}

function rateLimitBody(model: string, quota: Quota) {
  const requests = quota.limit === 'requests';
  const metric = `generativelanguage.googleapis.com/generate_content_free_tier_${requests ? 'requests' : 'input_token_count'}`;
  const limit = requests ? 15 : 1_000_000;
  const seconds = quota.retryAfterMs / 1000;
  const message =
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: ' +
    'https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/rate-limit. \n' +
    `* Quota exceeded for metric: ${metric}, limit: ${limit}, model: ${model}\nPlease retry in ${seconds}s.`;
  return {
    error: {
      code: 429,
      message,
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.Help',
          links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }],
        },
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            {
              quotaMetric: metric,
              quotaId: requests ? 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' : 'GenerateContentInputTokensPerModelPerMinute-FreeTier',
              quotaDimensions: { location: 'global', model },
              quotaValue: String(limit),
            },
          ],
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: durationJson(quota.retryAfterMs) },
      ],
    },
  };
}

/** An error response, as Google's front end writes it (indented JSON, `application/json; charset=UTF-8`). */
export function geminiError(status: number, model: string, quota?: Quota, message?: string, headers: Record<string, string> = {}): Response {
  const body = geminiErrorBody(status, model, quota, message);
  return new Response(googlePretty(body), {
    status: body.error.code,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
  });
}

/** The 404 for a model the API does not serve, worded as the API words it. */
export function unknownModel(model: string, version: string, method: string): Response {
  return geminiError(
    404,
    model,
    undefined,
    `models/${model} is not found for API version ${version}, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
  );
}
