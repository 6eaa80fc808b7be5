// A host serving the OpenAI wire format: OpenAI itself, Azure OpenAI, or an OpenAI-compatible host
// (OpenRouter, Groq, Ollama, vLLM, LiteLLM, …). The APIs (chatCompletions.ts, responses.ts) say how
// requests read and answers look; a host says who answers (the provider fault targets name), which
// model a path names, what it refuses before reading a request, how its errors and bodies are
// dressed, and which headers every response carries.
import { openaiRateLimitHeaders } from '../../harness/faults/kinds/rateLimit.ts';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import type { SseEvent } from '../sse.ts';
import { sseEncoding, type WireEncoding } from '../wireBody.ts';
import { type ErrorOutcome, invalidRequest, outcomeError, type RequestProblem } from './errors.ts';

export interface OpenAiHost {
  /** The provider fault targets name (`llm:<provider>/<model>`). */
  readonly provider: string;
  /** A response to a request the host refuses before reading it (a missing key, a missing api-version), or undefined. */
  admit?(request: Request, params: Readonly<Record<string, string>>): Response | undefined;
  /** The model the path names (an Azure deployment), which wins over the body's `model`. */
  pathModel?(params: Readonly<Record<string, string>>): string | undefined;
  /** Headers every response carries (request ids), drawn when the request arrives. */
  requestHeaders(service: LlmService): Record<string, string>;
  /** The rate-limit headers of an answer (a 429's `rateLimit` says which limit was hit). */
  quotaHeaders(service: LlmService, rateLimit: ErrorOutcome['rateLimit']): Record<string, string>;
  /** A service error (429, 5xx, unknown model) in the host's shape, for `request`. */
  error(outcome: ErrorOutcome, model: string, headers: Record<string, string>, request: Request): Response;
  /** A request the host refuses with a 400. */
  invalid(problem: RequestProblem, headers: Record<string, string>): Response;
  /** The whole answer as the host sends it (Azure adds its content-filter annotations). */
  body?(body: unknown): unknown;
  /** The stream as the host sends it. */
  events?(events: SseEvent[]): SseEvent[];
  /** How the host serializes its JSON. */
  readonly encoding?: WireEncoding;
}

/** api.openai.com, and the default behaviour of an OpenAI-compatible host. */
export function openaiHost(provider = 'openai'): OpenAiHost {
  return {
    provider,
    // Every response carries a request id, as the real API's do; the client exposes it as `_request_id`.
    requestHeaders: (service) => ({ 'x-request-id': `req_${service.newId()}` }),
    quotaHeaders: (service, rateLimit) => openaiRateLimitHeaders(service.quota(rateLimit)),
    error: outcomeError,
    invalid: invalidRequest,
    encoding: sseEncoding,
  };
}
