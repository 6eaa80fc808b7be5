// OpenAI-compatible hosts: the OpenAI wire format (Chat Completions and Responses) served at each
// host's base URL (harness/world/llm/providers.ts lists the built-in ones; `llm.hosts` adds more),
// answered by the same simulated models, with the host's name as the provider fault targets select
// (`llm:groq/*`, `llm:ollama/llama3.1:8b`). One route per API covers every host, found by origin
// and path, so adding hosts costs nothing per request.
import type { RequestHandler } from 'msw';
import { json } from '../../harness/world/httpFaults.ts';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { withoutTrailingSlash } from '../../harness/world/llm/providers.ts';
import { type RouteResolver, route } from '../../harness/world/route.ts';
import { chatCompletions } from './chatCompletions.ts';
import { type OpenAiHost, openaiHost } from './host.ts';
import { responsesApi } from './responses.ts';
import type { ResponseHistory } from './responsesRequest.ts';
import { serveWith } from './serve.ts';

interface Base {
  readonly provider: string;
  /** The base URL's path without a trailing slash ('' for a host root). */
  readonly path: string;
}

/** The routes of every OpenAI-compatible host `service` serves. */
export function compatibleRoutes(service: LlmService): RequestHandler[] {
  const byOrigin = new Map<string, Base[]>();
  for (const [provider, urls] of Object.entries(service.hosts)) {
    for (const url of urls) {
      const parsed = new URL(url);
      const bases = byOrigin.get(parsed.origin) ?? [];
      bases.push({ provider, path: withoutTrailingSlash(parsed.pathname) });
      byOrigin.set(parsed.origin, bases);
    }
  }
  const match = (endpoint: string) => (url: URL) => {
    const base = byOrigin.get(url.origin)?.find((b) => url.pathname === `${b.path}${endpoint}`);
    return base === undefined ? undefined : { provider: base.provider };
  };
  const history: ResponseHistory = new Map();
  const chat = byProvider((host) => serveWith(service, chatCompletions, host));
  const responses = byProvider((host) => serveWith(service, responsesApi(service, history), host));
  return [
    route.postWhere('OpenAI-compatible hosts: {baseURL}/chat/completions', match('/chat/completions'), chat),
    route.postWhere('OpenAI-compatible hosts: {baseURL}/responses', match('/responses'), responses),
  ];
}

/** One resolver per provider, made on its first request (routes are made for every run; most runs call one host or none). */
function byProvider(serve: (host: OpenAiHost) => RouteResolver): RouteResolver {
  const resolvers = new Map<string, RouteResolver>();
  return (info) => {
    const provider = info.params.provider ?? '';
    let resolver = resolvers.get(provider);
    if (resolver === undefined) {
      resolver = serve(compatibleHost(provider));
      resolvers.set(provider, resolver);
    }
    return resolver(info);
  };
}

/** An OpenAI-compatible host: OpenAI's shapes, but OpenRouter's own error body. */
export function compatibleHost(provider: string): OpenAiHost {
  const host = openaiHost(provider);
  return provider === 'openrouter' ? { ...host, error: openRouterError } : host;
}

/**
 * OpenRouter's errors: `{ error: { code, message, metadata? } }` with `code` the HTTP status
 * (openrouter.ai/docs/api/reference/errors-and-debugging; the shape is the docs', the wording
 * ours); a 429 also carries Retry-After.
 */
const openRouterError: OpenAiHost['error'] = (outcome, model, headers) => {
  const all = { ...outcome.headers, ...headers };
  const message =
    outcome.type === 'rate_limit'
      ? `Rate limit exceeded: ${model} is temporarily rate-limited. Please retry shortly.`
      : outcome.type === 'not_found'
        ? `${model} is not a valid model ID`
        : outcome.status === 502
          ? 'Provider returned error'
          : outcome.message;
  const metadata = outcome.type === 'server' || outcome.type === 'overloaded' ? { metadata: { provider_name: 'OpenAI' } } : {};
  return json(outcome.status, { error: { code: outcome.status, message, ...metadata } }, all);
};
