// Faults that answer an LLM request before any model runs: a failed connection, a 429, a 5xx.
// Each records its effect as it answers; the adapters render the outcome in their provider's shape.
import { firstOf, type Hit } from '../../faults/injector.ts';
import { NOT_READY_PROVIDERS } from '../../faults/kinds/notReady.ts';
import { retryAfterHeaders } from '../../faults/kinds/rateLimit.ts';
import type { Kernel } from '../../sim/kernel.ts';

export type ErrorType = 'rate_limit' | 'server' | 'overloaded' | 'not_found' | 'not_ready';

export interface ErrorOutcome {
  readonly kind: 'error';
  readonly status: number;
  readonly type: ErrorType;
  readonly message: string;
  readonly headers: Readonly<Record<string, string>>;
  /** For a 429: which limit was hit and how long the client was told to wait. */
  readonly rateLimit?: { readonly limit: 'requests' | 'tokens'; readonly retryAfterMs: number };
}

export type EarlyOutcome = ErrorOutcome | { readonly kind: 'connection'; readonly mode: 'refused' | 'reset' };

/** The outcome of the first early fault among `hits` (outage, then rate-limit, server-error, not-ready), or undefined. */
export function earlyFault(hits: readonly Hit[], at: { kernel: Kernel; span: number; model: string; provider: string | undefined }): EarlyOutcome | undefined {
  const { kernel, span } = at;
  const outage = firstOf(hits, 'outage');
  if (outage !== undefined) {
    outage.effect({ mode: outage.params.mode });
    kernel.trace.close(span, 'fault', { fault: outage.id });
    return { kind: 'connection', mode: outage.params.mode };
  }
  const limited = firstOf(hits, 'rate-limit');
  if (limited !== undefined) {
    const { retryAfterMs, limit } = limited.params;
    limited.effect({ status: 429, retryAfterMs });
    kernel.trace.close(span, 'fault', { fault: limited.id, status: 429 });
    const headers = retryAfterHeaders(limited.params, kernel.startTime + kernel.now());
    return {
      kind: 'error',
      status: 429,
      type: 'rate_limit',
      message: `Rate limit reached for ${limit}. Please try again later.`,
      headers,
      rateLimit: { limit, retryAfterMs },
    };
  }
  const failed = firstOf(hits, 'server-error');
  if (failed !== undefined) {
    const { status } = failed.params;
    failed.effect({ status });
    kernel.trace.close(span, 'fault', { fault: failed.id, status });
    return {
      kind: 'error',
      status,
      type: status === 529 ? 'overloaded' : 'server',
      message: failed.params.message ?? (status === 529 ? 'Overloaded' : 'The server had an error while processing your request.'),
      headers: {},
    };
  }
  const notReady = firstOf(hits, 'not-ready');
  if (notReady !== undefined) {
    if (at.provider === undefined || !NOT_READY_PROVIDERS.has(at.provider)) {
      notReady.noEffect(`${at.provider ?? 'world.llm'} has no not-ready answer (only ${[...NOT_READY_PROVIDERS].join(' and ')} do)`);
      return undefined;
    }
    const status = at.provider === 'azure' ? 404 : 429;
    notReady.effect({ status });
    kernel.trace.close(span, 'fault', { fault: notReady.id, status });
    return { kind: 'error', status, type: 'not_ready', message: 'The model is not ready to serve inference requests.', headers: {} };
  }
  return undefined;
}
