// Faultline's public API. Grouped named exports; types exported as types.

export type { RunCase } from './check/arbitraries.ts';
export type { CheckOptions, CheckReport, Counterexample } from './check/checkScenario.ts';
export { checkScenario, runCase, seedFromName } from './check/checkScenario.ts';
export type { CheckCoverage, RuleSummary, UnmatchedRule } from './check/coverage.ts';
export type { Effect, HistoryOp, Verdict, Violation } from './check/history.ts';
export { checkConvergence, checkIdempotent, checkLinearizable, checkLostUpdates } from './check/index.ts';
export type {
  ConsistencyOptions,
  GracefulDegradationOptions,
  Property,
  PropertyContext,
  PropertyVerdict,
  SpendBounds,
  WorkBounds,
} from './check/properties/index.ts';
// Properties, checkers and the property runner.
export {
  boundedSpend,
  boundedWork,
  consistentStores,
  eventuallyConverges,
  gracefulDegradation,
  linearizable,
  marks,
  noDeadlock,
  noLostUpdates,
  noMixedVersions,
  noSilentCorruption,
  property,
  textOf,
  traceComplete,
} from './check/properties/index.ts';
export type { Mark } from './check/properties/property.ts';
export type { Scenario, ScheduleSpace, WorkloadContext, WorldOptions } from './check/scenario.ts';
export { failureSignature } from './check/signature.ts';
export type { SoakBatch, SoakFailure, SoakOptions, SoakReport } from './check/soakScenario.ts';
export { soakScenario } from './check/soakScenario.ts';
export type { Taint } from './faults/corrupt.ts';
export type { EffectRecorder, FaultKindSpec, Layer, Placement } from './faults/faultKind.ts';
export type { BodyHooks, InStreamError, ReplyHooks, ReplyToolCall } from './faults/hooks.ts';
export type { FaultCoverage, RuleCoverage } from './faults/injector.ts';
export { faultKind, faultKinds } from './faults/kinds/index.ts';
export type { FaultKind, FaultPlan, FaultPlanInput, FaultRule, FaultRuleInput } from './faults/plan.ts';
// Fault plans.
export { faultPlanSchema, kindsByLayer, parseFaultPlan, refusal, ruleIds } from './faults/plan.ts';
export type { Agent, HealOptions, HealResult, LlmOptions, Outcome, RunResult, SimulateOptions } from './options.ts';
export type { Expectation, ScenarioDefinition } from './scenario/defineScenario.ts';
export { defineScenario } from './scenario/defineScenario.ts';
export { scenarioJsonSchema } from './scenario/fileSchema.ts';
export { loadScenarioFile } from './scenario/loadScenarioFile.ts';
export type { ActorSummary, BlockedActor } from './sim/actors.ts';
export { isWaitTimeoutError, WaitTimeoutError } from './sim/block.ts';
export { canonicalHash, canonicalJson } from './sim/canonicalJson.ts';
export type { FaultlineErrorCode, Where } from './sim/errors.ts';
export { FaultlineError, isFaultlineError } from './sim/errors.ts';
export type { Problem } from './sim/kernel.ts';
export type { LatencyModel } from './sim/latency.ts';
export type { Budget, Limits } from './sim/limits.ts';
export { defaultLimits } from './sim/limits.ts';
export type { Seed } from './sim/rng.ts';
// The kernel's vocabulary.
export { normalizeSeed, RandomStream, Rng } from './sim/rng.ts';
export type { StrategyOptions } from './sim/strategy.ts';
export type { Span, SpanKind, SpanOutcome, TraceEvent } from './sim/trace.ts';
export { hashTrace, spansOf } from './sim/trace.ts';
export { simulate } from './simulateOnDemand.ts';
export type { AcquireOptions } from './world/coordination/locks.ts';
export type { Envelope, ReceiveOptions } from './world/coordination/mailboxes.ts';
export type { WorldFetch } from './world/fetch.ts';
export type { Brain, BrainContext, CassetteFile } from './world/llm/brains.ts';
// Simulated LLMs.
export { cassette, rules, scripted } from './world/llm/brains.ts';
export type { ApiName, Conversation, Message, Reply, ToolCall, ToolChoice, ToolSpec } from './world/llm/conversation.ts';
export { lastUserText, latestToolResults } from './world/llm/conversation.ts';
export type { DirectLlm, DirectRequest, DirectResult } from './world/llm/direct.ts';
export { LlmError } from './world/llm/direct.ts';
export type { AttemptEntry, SpendEntry, SpendSummary, SpendTotals } from './world/llm/ledger.ts';
export type { GenerationTiming, ModelConfig } from './world/llm/llmService.ts';
export type { Price, PriceTable } from './world/llm/pricing.ts';
export { defaultPrices, priceOf } from './world/llm/pricing.ts';
export { tokensIn } from './world/llm/tokens.ts';
export type { McpServerFactory, McpServerOptions, McpServerSpec } from './world/mcp/serverConfig.ts';
export type { RouteInfo, RouteRequestInfo, RouteResolver } from './world/route.ts';
export { route, routeOf } from './world/route.ts';
export type { WriteOptions } from './world/stores/storeBase.ts';
export { StoreError } from './world/stores/storeOp.ts';
export type { WorldStores } from './world/stores/stores.ts';
export type { Tool, ToolContext } from './world/tools.ts';
export { defineTool, ToolError } from './world/tools.ts';
// The world agents see.
export type { World, WorldChannel, WorldLock, WorldMcp, WorldTools } from './world/world.ts';
