// Faultline's public API. Grouped named exports; types exported as types.
export { simulate } from './simulate.ts';
export type { Agent, LlmOptions, Outcome, RunResult, SimulateOptions } from './options.ts';

// The world agents see.
export type { World, WorldChannel, WorldLock, WorldTools } from './world/world.ts';
export type { WorldStores } from './world/stores/stores.ts';
export { StoreError } from './world/stores/storeOp.ts';
export type { WriteOptions } from './world/stores/storeBase.ts';
export type { Envelope, ReceiveOptions } from './world/coordination/mailboxes.ts';
export type { AcquireOptions } from './world/coordination/locks.ts';
export { isWaitTimeoutError, WaitTimeoutError } from './sim/block.ts';
export type { WorldFetch } from './world/fetch.ts';
export { route, routeOf } from './world/route.ts';
export type { RouteInfo, RouteRequestInfo, RouteResolver } from './world/route.ts';
export { defineTool, ToolError } from './world/tools.ts';
export type { Tool, ToolContext } from './world/tools.ts';
export type { McpServerFactory } from './world/mcp/mcpHub.ts';

// Simulated LLMs.
export { cassette, rules, scripted } from './world/llm/brains.ts';
export type { Brain, BrainContext, CassetteFile } from './world/llm/brains.ts';
export { lastUserText, latestToolResults } from './world/llm/conversation.ts';
export type { ApiName, Conversation, Message, Reply, ToolCall, ToolSpec } from './world/llm/conversation.ts';
export { LlmError } from './world/llm/direct.ts';
export type { DirectLlm, DirectRequest, DirectResult } from './world/llm/direct.ts';
export type { GenerationTiming, ModelConfig } from './world/llm/llmService.ts';
export type { SpendEntry, SpendSummary, SpendTotals } from './world/llm/ledger.ts';
export { defaultPrices, priceOf } from './world/llm/pricing.ts';
export type { Price, PriceTable } from './world/llm/pricing.ts';
export { tokensIn } from './world/llm/tokens.ts';

// Properties, checkers and the property runner.
export {
  boundedSpend,
  boundedWork,
  consistentStores,
  eventuallyConverges,
  gracefulDegradation,
  linearizable,
  noDeadlock,
  noLostUpdates,
  noMixedVersions,
  noSilentCorruption,
  marks,
  property,
  textOf,
  traceComplete,
} from './check/properties/index.ts';
export type { ConsistencyOptions, GracefulDegradationOptions, Property, PropertyContext, PropertyVerdict, SpendBounds, WorkBounds } from './check/properties/index.ts';
export type { Mark } from './check/properties/property.ts';
export { checkConvergence, checkIdempotent, checkLinearizable, checkLostUpdates } from './check/index.ts';
export type { Effect, HistoryOp, Verdict, Violation } from './check/history.ts';
export { checkScenario, runCase, seedFromName } from './check/checkScenario.ts';
export type { CheckOptions, CheckReport, Counterexample } from './check/checkScenario.ts';
export type { RunCase } from './check/arbitraries.ts';
export type { Scenario, ScheduleSpace, WorkloadContext, WorldOptions } from './check/scenario.ts';
export type { HealOptions, HealResult } from './options.ts';
export { defineScenario } from './scenario/defineScenario.ts';
export type { Expectation, ScenarioDefinition } from './scenario/defineScenario.ts';
export { loadScenarioFile } from './scenario/loadScenarioFile.ts';
export { scenarioJsonSchema } from './scenario/fileSchema.ts';
export type { StrategyOptions } from './sim/strategy.ts';
export type { Budget } from './sim/limits.ts';

// Fault plans.
export { faultPlanSchema, kindsByLayer, parseFaultPlan, ruleIds } from './faults/plan.ts';
export type { FaultKind, FaultPlan, FaultPlanInput, FaultRule, FaultRuleInput } from './faults/plan.ts';
export type { Taint } from './faults/corrupt.ts';

// The kernel's vocabulary.
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
