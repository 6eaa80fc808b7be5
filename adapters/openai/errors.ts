// OpenAI-shaped error responses. The official client turns the status into its error class
// (RateLimitError, InternalServerError, NotFoundError, BadRequestError) and reads `error.type`,
// `error.code` and `error.param` from the body, and its retry logic reads the retry-after headers,
// so every fault the simulated service reports is rendered here exactly as the real API sends it.

import { openaiRateLimitMessage } from '../../harness/faults/kinds/rateLimit.ts';
import { FaultlineError } from '../../harness/sim/errors.ts';
import { redactUrl } from '../../harness/sim/redact.ts';
import { json } from '../../harness/world/httpFaults.ts';
import type { LlmOutcome } from '../../harness/world/llm/llmService.ts';

export type ErrorOutcome = Extract<LlmOutcome, { kind: 'error' }>;

/** The `error` object of an OpenAI error body. */
export interface OpenAiErrorBody {
  readonly message: string;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
}

/** A request the real API would refuse with a 400, found while parsing it. */
export interface RequestProblem {
  readonly problem: { readonly message: string; readonly param: string | null; readonly code: string | null };
  /** The model the request named, when it named one (a refused request still counts as an attempt). */
  readonly model?: string;
}

export function requestProblem(message: string, param: string | null = null, code: string | null = null): RequestProblem {
  return { problem: { message, param, code } };
}

export function isRequestProblem(value: unknown): value is RequestProblem {
  return typeof value === 'object' && value !== null && 'problem' in value;
}

export function errorResponse(status: number, error: OpenAiErrorBody, headers: Record<string, string> = {}): Response {
  return json(status, { error }, headers);
}

/** The 400 `invalid_request_error` for a request the simulated API cannot accept. */
export function invalidRequest({ problem }: RequestProblem, headers: Record<string, string>): Response {
  return errorResponse(400, { message: problem.message, type: 'invalid_request_error', param: problem.param, code: problem.code }, headers);
}

/**
 * The service's error outcome (429, 5xx, unknown model) in OpenAI's shape, with its headers. A
 * 429's `type` names the limit that was hit (`requests` or `tokens`) and its message says when to
 * try again, as the real API's does (harness/faults/kinds/rateLimit.ts has the source).
 */
export function outcomeError(outcome: ErrorOutcome, model: string, headers: Record<string, string>): Response {
  const all = { ...outcome.headers, ...headers };
  switch (outcome.type) {
    case 'rate_limit': {
      const limit = outcome.rateLimit?.limit ?? 'requests';
      const message = openaiRateLimitMessage(model, limit, outcome.rateLimit?.retryAfterMs ?? 1000);
      return errorResponse(outcome.status, { message, type: limit, param: null, code: 'rate_limit_exceeded' }, all);
    }
    case 'not_found':
      return errorResponse(outcome.status, { message: outcome.message, type: 'invalid_request_error', param: null, code: 'model_not_found' }, all);
    case 'server':
    case 'overloaded':
    // api.openai.com has no not-ready answer (the not-ready kind leaves it alone; Azure's host answers its own).
    case 'not_ready':
      // OpenAI has no 529; an `overloaded` fault on an OpenAI model still arrives as a server error,
      // which the client retries like any status of 500 and above.
      return errorResponse(outcome.status, { message: outcome.message, type: 'server_error', param: null, code: null }, all);
  }
}

/**
 * The error a provider route throws when it is resolved outside a simulated run (by a plain msw
 * server, say): it serves the simulated LLM of one run and has no run to ask.
 */
export function outsideRun(request: Request): FaultlineError {
  return new FaultlineError('OUTSIDE_RUN', {
    what: `The simulated OpenAI endpoint ${request.method} ${redactUrl(new URL(request.url))} was reached outside a simulated run`,
    todo:
      "Faultline's provider routes answer with the simulated LLM of one run: reach them through world.fetch inside " +
      'simulate() (new OpenAI({ fetch: world.fetch })), and do not add openaiRoutes(...) to a plain msw server',
  });
}
