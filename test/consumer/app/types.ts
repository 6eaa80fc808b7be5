// Type checks a user relies on: tsc must reject these lines, or the @ts-expect-error marks fail.
import type { FaultRuleInput, Outcome } from 'faultline';

// @ts-expect-error an unknown fault kind is a type error, not a runtime surprise
export const badKind: FaultRuleInput = { target: 'llm:*', kind: 'explode' };

// @ts-expect-error outcomes are a closed set
export const badOutcome: Outcome = 'crashed-hard';

export const good: FaultRuleInput = { target: 'tool:search', kind: 'latency', params: { latency: { kind: 'fixed', ms: 200 } } };
