// Error responses in the Messages API's shape: `{ type: 'error', error: { type, message },
// request_id }` with the status the SDK maps to its error classes (429 RateLimitError, 404
// NotFoundError, 5xx and 529 InternalServerError) and a `request-id` header it exposes as
// `error.requestID`. The service's headers (retry-after, retry-after-ms) pass through unchanged,
// because they decide how long the SDK waits before it retries.

import { json } from '../../harness/world/httpFaults.ts';
import type { ErrorType } from '../../harness/world/llm/llmService.ts';

export type AnthropicErrorType = 'invalid_request_error' | 'not_found_error' | 'rate_limit_error' | 'api_error' | 'overloaded_error';

const ERROR_TYPES: Readonly<Record<ErrorType, AnthropicErrorType>> = {
  rate_limit: 'rate_limit_error',
  server: 'api_error',
  overloaded: 'overloaded_error',
  not_found: 'not_found_error',
  // The Messages API has no not-ready answer; the not-ready kind leaves Anthropic calls alone (never used).
  not_ready: 'api_error',
};

export function anthropicErrorType(type: ErrorType): AnthropicErrorType {
  return ERROR_TYPES[type];
}

export function errorResponse(
  status: number,
  type: AnthropicErrorType,
  message: string,
  requestId: string,
  headers: Readonly<Record<string, string>> = {},
): Response {
  return json(status, { type: 'error', error: { type, message }, request_id: requestId }, { ...headers, 'request-id': requestId });
}
