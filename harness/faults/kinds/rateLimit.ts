// rate-limit: a 429 as each provider sends it — its body, its retry-after header(s) and its
// rate-limit headers — so that SDK retries and adaptive throttlers read what they read in production.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

const DAY_MS = 86_400_000;

export const rateLimit = defineFaultKind({
  kind: 'rate-limit',
  summary: 'HTTP 429 with retry-after headers and the provider’s own body and rate-limit headers.',
  params: withDefaults({
    /**
     * How long the server asks the client to wait. openai-node 5–6 and @anthropic-ai/sdk wait out
     * any positive retry-after (openai-node 6 client.js `retryRequest`; the 60 s cap belonged to
     * openai-node 4.x), so a long value tests whether the agent can afford to wait.
     */
    retryAfterMs: z.number().int().min(0).max(DAY_MS, 'at most 86400000 (a day)').default(1_000),
    /** Which header says so: seconds, milliseconds, both, an HTTP date (RFC 9110 §10.2.3), or none. */
    header: z.enum(['retry-after', 'retry-after-ms', 'both', 'http-date', 'none']).default('both'),
    /** Which limit was hit: requests per minute or tokens per minute (the body and headers say which). */
    limit: z.enum(['requests', 'tokens']).default('requests'),
  }),
  layers: {
    http: '429 with the retry-after header(s) and a JSON error body in the host’s error shape',
    llm: '429 from the provider, before the model runs: the body, retry-after and rate-limit headers are the provider’s own',
  },
  apis: {
    'openai.chat':
      '`{ error: { message: "Rate limit reached for <model> … on requests per min (RPM): Limit …, Used …, Requested 1. Please try again in 1s. …", type: "requests" | "tokens", param: null, code: "rate_limit_exceeded" } }` with `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (reset as a duration: "1s", "6m0s"); source: OpenAI rate-limits guide and community.openai.com/t/1268905',
    'openai.responses': 'as Chat Completions',
    'anthropic.messages':
      '`{ type: "error", error: { type: "rate_limit_error", message }, request_id }` with `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}` (reset as RFC 3339); source: docs.anthropic.com/en/api/rate-limits',
    direct: 'world.llm throws LlmError 429 with the headers',
    'gemini.generateContent':
      '`{ error: { code: 429, message: "You exceeded your current quota, … * Quota exceeded for metric: …generate_content_free_tier_requests, limit: 15, model: <model>\nPlease retry in 2.5s.", status: "RESOURCE_EXHAUSTED", details: [google.rpc.Help, google.rpc.QuotaFailure, google.rpc.RetryInfo { retryDelay: "2.500s" }] } }` (input_token_count for limit tokens); the hint is in the body only, so `header` does not apply and neither official client reads it; source: captured Gemini API 429 bodies (2025)',
    'bedrock.converse':
      '`{"message":"Too many requests, please wait before trying again."}` ("Too many tokens, …" for limit tokens) with `x-amzn-ErrorType: ThrottlingException:…`; Bedrock sends no retry hint (`header` does not apply): the AWS SDK backs off on its own (1 s base, full jitter), the AI SDK 2 s then 4 s',
    'azure.openai':
      '`{ error: { code: "RateLimitReached", message: "Your requests to <deployment> for <deployment> in East US have exceeded the call|token rate limit … under Azure OpenAI API version <v>. Please retry after N seconds. …" } }` with the retry-after header(s) and `x-ratelimit-remaining-*`; source: learn.microsoft.com/azure/ai-foundry/openai/quotas-limits and captured 429s',
    'openai-compatible hosts':
      'as Chat Completions; OpenRouter answers `{ error: { code: 429, message } }` (openrouter.ai/docs/api/reference/errors-and-debugging)',
  },
});

export type RateLimitParams = z.output<typeof rateLimit.params>;

/** The retry-after header(s) of a 429 that asks for `retryAfterMs`, at virtual epoch `nowMs`. */
export function retryAfterHeaders(params: Pick<RateLimitParams, 'retryAfterMs' | 'header'>, nowMs: number): Record<string, string> {
  const out: Record<string, string> = {};
  const { retryAfterMs, header } = params;
  if (header === 'retry-after' || header === 'both') out['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
  if (header === 'retry-after-ms' || header === 'both') out['retry-after-ms'] = String(retryAfterMs);
  // An HTTP date has whole seconds: round up, so the client never retries before it was told to.
  if (header === 'http-date') out['retry-after'] = new Date(Math.ceil((nowMs + retryAfterMs) / 1000) * 1000).toUTCString();
  return out;
}

/** The quota the simulated providers report: generous, so that headers carry realistic numbers. */
export const SIMULATED_QUOTA = { requests: 5_000, tokens: 2_000_000 } as const;

/** A Go-style duration as OpenAI writes it in `x-ratelimit-reset-*`: `120ms`, `1s`, `6m0s`, `1h2m3s`. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** What the rate-limit headers report at one moment. */
export interface QuotaState {
  readonly remainingRequests: number;
  readonly remainingTokens: number;
  /** Milliseconds until each window resets. */
  readonly resetRequestsMs: number;
  readonly resetTokensMs: number;
}

/** OpenAI's `x-ratelimit-*` headers. */
export function openaiRateLimitHeaders(state: QuotaState): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(SIMULATED_QUOTA.requests),
    'x-ratelimit-limit-tokens': String(SIMULATED_QUOTA.tokens),
    'x-ratelimit-remaining-requests': String(state.remainingRequests),
    'x-ratelimit-remaining-tokens': String(state.remainingTokens),
    'x-ratelimit-reset-requests': goDuration(state.resetRequestsMs),
    'x-ratelimit-reset-tokens': goDuration(state.resetTokensMs),
  };
}

/** Anthropic's `anthropic-ratelimit-*` headers; resets are RFC 3339 instants at virtual epoch `nowMs`. */
export function anthropicRateLimitHeaders(state: QuotaState, nowMs: number): Record<string, string> {
  const at = (ms: number) => new Date(Math.ceil((nowMs + ms) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const out: Record<string, string> = {
    'anthropic-ratelimit-requests-limit': String(SIMULATED_QUOTA.requests),
    'anthropic-ratelimit-requests-remaining': String(state.remainingRequests),
    'anthropic-ratelimit-requests-reset': at(state.resetRequestsMs),
  };
  for (const family of ['tokens', 'input-tokens', 'output-tokens']) {
    out[`anthropic-ratelimit-${family}-limit`] = String(SIMULATED_QUOTA.tokens);
    out[`anthropic-ratelimit-${family}-remaining`] = String(state.remainingTokens);
    out[`anthropic-ratelimit-${family}-reset`] = at(state.resetTokensMs);
  }
  return out;
}

/** The message of OpenAI's 429 body, worded as the real API words it. */
export function openaiRateLimitMessage(model: string, limit: 'requests' | 'tokens', retryAfterMs: number): string {
  const per = limit === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
  const max = limit === 'requests' ? SIMULATED_QUOTA.requests : SIMULATED_QUOTA.tokens;
  const requested = limit === 'requests' ? 1 : 1_200;
  const wait = retryAfterMs < 1000 ? `${retryAfterMs}ms` : `${Math.round(retryAfterMs / 100) / 10}s`;
  return (
    `Rate limit reached for ${model} in organization org-faultline on ${per}: Limit ${max}, Used ${max}, Requested ${requested}. ` +
    `Please try again in ${wait}. Visit https://platform.openai.com/account/rate-limits to learn more.`
  );
}

/** The message of Anthropic's 429 body. */
export function anthropicRateLimitMessage(limit: 'requests' | 'tokens'): string {
  return limit === 'requests'
    ? 'Number of requests has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); see the response headers for current usage. Please try again later.'
    : 'Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.';
}
