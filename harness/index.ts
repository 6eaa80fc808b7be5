// Faultline's public API. Grouped named exports; types exported as types.
export { simulate } from './simulate.ts';
export type { Agent, LlmOptions, Outcome, RunResult, SimulateOptions } from './options.ts';

// The world agents see.
export type { World, WorldTools } from './world/world.ts';
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
