// Azure OpenAI: the OpenAI wire format at `https://<resource>.openai.azure.com` (also
// `*.cognitiveservices.azure.com` and `*.services.ai.azure.com`), as the openai client's AzureOpenAI
// and @ai-sdk/azure call it:
//
//   POST /openai/deployments/{deployment}/chat/completions?api-version=…   (AzureOpenAI, Chat Completions)
//   POST /openai/responses?api-version=…                                   (AzureOpenAI, Responses)
//   POST /openai/v1/chat/completions, /openai/v1/responses                 (the v1 API; @ai-sdk/azure)
//
// The deployment in the path is the model (name deployments after the simulated models); the key
// comes in an `api-key` header (or a bearer token). Azure's own shapes: a missing key is a 401 and
// a missing api-version a 404, an unknown deployment is `DeploymentNotFound`, a 429 is
// `RateLimitReached` with "Please retry after N seconds" and retry-after(-ms) headers, and Chat
// Completions bodies carry content-filter annotations (`prompt_filter_results`, per choice
// `content_filter_results`), a stream opening with an empty-`choices` chunk that carries the
// prompt's results. Azure writes its JSON with keys in alphabetical order (but `prompt_index` first).
// Sources: learn.microsoft.com/azure/ai-foundry/openai/reference (paths, api-version, api-key),
// learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter (annotations), and captures
// of real responses (langchain4j AzureOpenAiStreamingChatModel test, "generated from a true API call").
import type { RequestHandler } from 'msw';
import { digest } from '../../harness/sim/digest.ts';
import { json } from '../../harness/world/httpFaults.ts';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { route } from '../../harness/world/route.ts';
import type { SseEvent } from '../sse.ts';
import type { WireEncoding } from '../wireBody.ts';
import { chatCompletions } from './chatCompletions.ts';
import { type ErrorOutcome, invalidRequest, outcomeError } from './errors.ts';
import type { OpenAiHost } from './host.ts';
import { responsesApi } from './responses.ts';
import type { ResponseHistory } from './responsesRequest.ts';
import { serveWith } from './serve.ts';

const AZURE_HOST = /^[a-z0-9][a-z0-9-]*\.(?:openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i;
const DEPLOYMENT_CHAT = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;

/** The Azure OpenAI endpoints `service` serves. */
export function azureRoutes(service: LlmService): RequestHandler[] {
  const on =
    (path: RegExp | string) =>
    (url: URL): Record<string, string> | undefined => {
      if (!AZURE_HOST.test(url.hostname)) return undefined;
      if (typeof path === 'string') return url.pathname === path ? {} : undefined;
      const m = path.exec(url.pathname);
      return m === null ? undefined : { deployment: decodeURIComponent(m[1] as string) };
    };
  const history: ResponseHistory = new Map();
  const chat = serveWith(service, chatCompletions, azureHost('chat'));
  const responses = serveWith(service, responsesApi(service, history), azureHost('responses'));
  return [
    route.postWhere('https://<resource>.openai.azure.com/openai/deployments/<deployment>/chat/completions', on(DEPLOYMENT_CHAT), chat),
    route.postWhere('https://<resource>.openai.azure.com/openai/v1/chat/completions', on('/openai/v1/chat/completions'), chat),
    route.postWhere('https://<resource>.openai.azure.com/openai/responses', on('/openai/responses'), responses),
    route.postWhere('https://<resource>.openai.azure.com/openai/v1/responses', on('/openai/v1/responses'), responses),
  ];
}

function azureHost(api: 'chat' | 'responses'): OpenAiHost {
  return {
    provider: 'azure',
    admit,
    pathModel: (params) => params.deployment,
    requestHeaders: (service) => ({ 'apim-request-id': service.newUuid(), 'x-request-id': service.newUuid(), 'x-ms-region': 'East US' }),
    quotaHeaders: (service, rateLimit) => {
      const state = service.quota(rateLimit);
      return { 'x-ratelimit-remaining-requests': String(state.remainingRequests), 'x-ratelimit-remaining-tokens': String(state.remainingTokens) };
    },
    error: (outcome, model, headers, request) => azureError(outcome, model, headers, request, api),
    invalid: invalidRequest,
    ...(api === 'chat' ? { body: annotateBody, events: annotateEvents, encoding: azureEncoding } : {}),
  };
}

/** What Azure answers before reading a request: a 401 without a key, a 404 without an api-version (outside /openai/v1). */
function admit(request: Request): Response | undefined {
  const url = new URL(request.url);
  if (request.headers.get('api-key') === null && !/^Bearer\s+\S/.test(request.headers.get('authorization') ?? '')) {
    return json(401, {
      error: {
        code: '401',
        message:
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      },
    });
  }
  if (!url.pathname.startsWith('/openai/v1/') && !url.searchParams.has('api-version')) {
    return json(404, { error: { code: '404', message: 'Resource not found' } });
  }
  return undefined;
}

/**
 * Azure's errors. An unknown deployment is `DeploymentNotFound`; a 429 says which limit and when to
 * retry, in seconds, as Azure words it (learn.microsoft.com/azure/ai-foundry/openai/quotas-limits);
 * a 503 is Azure's own `ServiceUnavailable`; other 5xx pass the model backend's OpenAI-shaped error through.
 */
function azureError(outcome: ErrorOutcome, model: string, headers: Record<string, string>, request: Request, api: 'chat' | 'responses'): Response {
  const all = { ...outcome.headers, ...headers };
  const version = new URL(request.url).searchParams.get('api-version') ?? 'v1';
  switch (outcome.type) {
    case 'not_found':
    case 'not_ready':
      return json(
        404,
        {
          error: {
            code: 'DeploymentNotFound',
            message:
              'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
          },
        },
        all,
      );
    case 'rate_limit': {
      const seconds = Math.ceil((outcome.rateLimit?.retryAfterMs ?? 1000) / 1000);
      const limit = outcome.rateLimit?.limit === 'tokens' ? 'token' : 'call';
      const operation = api === 'chat' ? 'ChatCompletions_Create' : 'Responses_Create';
      const message = `Your requests to ${model} for ${model} in East US have exceeded the ${limit} rate limit for your current OpenAI S0 pricing tier. This request was for ${operation} under Azure OpenAI API version ${version}. Please retry after ${seconds} seconds. To increase your default rate limit, visit: https://aka.ms/oai/quotaincrease.`;
      return json(429, { error: { code: 'RateLimitReached', message } }, all);
    }
    default:
      if (outcome.status === 503) {
        return json(
          503,
          { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' } },
          all,
        );
      }
      return outcomeError(outcome, model, all);
  }
}

/** Every category "safe", as Azure annotates an answer its filters let through. */
const SAFE = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};
const PROMPT_FILTER_RESULTS = [{ prompt_index: 0, content_filter_results: { ...SAFE, jailbreak: { filtered: false, detected: false } } }];

type Json = Record<string, unknown>;

/** A Chat Completions body with Azure's annotations and without OpenAI's `service_tier`. */
function annotateBody(body: unknown): unknown {
  const { service_tier: _tier, ...rest } = body as Json;
  const choices = (rest.choices as Json[]).map((c) => {
    const message = c.message as Json;
    return { ...c, content_filter_results: typeof message.content === 'string' && message.content !== '' ? SAFE : {} };
  });
  return { ...rest, choices, prompt_filter_results: PROMPT_FILTER_RESULTS, system_fingerprint: fingerprint(rest.model) };
}

/** The stream with Azure's opening prompt-results chunk and per-choice annotations (text deltas annotated, others `{}`). */
function annotateEvents(events: SseEvent[]): SseEvent[] {
  const opening: SseEvent = { data: { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: PROMPT_FILTER_RESULTS } };
  const annotated = events.map((event): SseEvent => {
    if (typeof event.data !== 'object' || event.data === null || !('choices' in event.data)) return event;
    const { service_tier: _tier, ...chunk } = event.data as Json;
    if ('error' in chunk) return event;
    const choices = (chunk.choices as Json[]).map((c) => {
      const delta = c.delta as Json;
      return { ...c, content_filter_results: typeof delta.content === 'string' && delta.content !== '' ? SAFE : {} };
    });
    return { ...event, data: { ...chunk, choices, system_fingerprint: fingerprint(chunk.model) } };
  });
  return [opening, ...annotated];
}

function fingerprint(model: unknown): string {
  return `fp_${digest(['azure', model]).slice(0, 10)}`;
}

/** Azure's JSON: keys in alphabetical order, but a prompt result's `prompt_index` first. */
export function azureJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const entries = Object.entries(v as Json).sort(([a], [b]) => (a === 'prompt_index' ? -1 : b === 'prompt_index' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  });
}

const azureEncoding: WireEncoding = {
  frame: (event) => `data: ${typeof event.data === 'string' ? event.data : azureJson(event.data)}\n\n`,
  serialize: azureJson,
  streamType: 'text/event-stream; charset=utf-8',
};
