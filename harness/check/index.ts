// History checkers: pure functions from what the stores saw to a Verdict whose violations are each
// one sentence naming the operations involved. Grouped named exports; types exported as types.

export type { ConvergenceOptions, EntityState, PendingWrite, StoresSnapshot } from './convergence.ts';
// Convergence of several stores after the heal phase.
export { checkConvergence } from './convergence.ts';
export type { Effect, HistoryOp, OpType, Verdict, Violation } from './history.ts';
// Histories and verdicts.
export { HistoryRecorder, pairOps } from './history.ts';
// Duplicate effects from retried or redelivered writes.
export { checkIdempotent } from './idempotency.ts';
export type { LinearizabilityOptions, LinearizabilityOutcome, LinearizabilityVerdict, UnknownPartition } from './linearizable.ts';
// Linearizability of registers, per (store, key).
export { checkLinearizable } from './linearizable.ts';
// Lost updates from read-modify-write cycles.
export { checkLostUpdates } from './lostUpdates.ts';
