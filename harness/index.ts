// Faultline's public API. Grouped named exports; types exported as types.
export { simulate } from './simulate.ts';
export type { Agent, Outcome, RunResult, SimulateOptions } from './simulate.ts';
export type { World } from './world/world.ts';
export type { WorldFetch } from './world/fetch.ts';
export { route, routeOf } from './world/route.ts';
export type { RouteInfo, RouteRequestInfo, RouteResolver } from './world/route.ts';
export { Rng, RandomStream, normalizeSeed } from './sim/rng.ts';
export type { Seed } from './sim/rng.ts';
export type { Limits } from './sim/limits.ts';
export { defaultLimits } from './sim/limits.ts';
export type { LatencyModel } from './sim/latency.ts';
export type { ActorSummary, BlockedActor } from './sim/actors.ts';
export type { Problem } from './sim/kernel.ts';
export { hashTrace, spansOf } from './sim/trace.ts';
export type { Span, SpanKind, SpanOutcome, TraceEvent } from './sim/trace.ts';
export { canonicalJson, canonicalHash } from './sim/canonicalJson.ts';
export { FaultlineError, isFaultlineError } from './sim/errors.ts';
export type { FaultlineErrorCode, Where } from './sim/errors.ts';
