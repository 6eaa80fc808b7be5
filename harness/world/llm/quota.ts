// What a simulated provider's rate-limit headers report: a generous fixed quota per minute of
// virtual time, less the attempts and billed tokens of the current minute, or exhausted for the
// limit a 429 says was hit (with its reset at the retry-after). Deterministic: virtual time only.
import { type QuotaState, SIMULATED_QUOTA } from '../../faults/kinds/rateLimit.ts';
import type { Ledger } from './ledger.ts';

export function quotaState(ledger: Ledger, now: number, hit?: { readonly limit: 'requests' | 'tokens'; readonly retryAfterMs: number }): QuotaState {
  const start = Math.floor(now / 60_000) * 60_000;
  const resetMs = start + 60_000 - now;
  let requests = 0;
  for (let i = ledger.attempts.length - 1; i >= 0 && (ledger.attempts[i]?.t ?? -1) >= start; i--) requests++;
  let tokens = 0;
  for (let i = ledger.entries.length - 1; i >= 0; i--) {
    const e = ledger.entries[i];
    if (e === undefined || e.t < start) break;
    tokens += e.inputTokens + e.outputTokens;
  }
  const state = {
    remainingRequests: Math.max(0, SIMULATED_QUOTA.requests - requests),
    remainingTokens: Math.max(0, SIMULATED_QUOTA.tokens - tokens),
    resetRequestsMs: resetMs,
    resetTokensMs: resetMs,
  };
  if (hit?.limit === 'requests') return { ...state, remainingRequests: 0, resetRequestsMs: hit.retryAfterMs };
  if (hit?.limit === 'tokens') return { ...state, remainingTokens: 0, resetTokensMs: hit.retryAfterMs };
  return state;
}
