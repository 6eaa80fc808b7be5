// The options of simulate(), their defaults, and their validation. Following fast-check's habit,
// the public options are validated and filled in once here; everything after works with the
// qualified form and never asks "was this set?".

import type { RequestHandler } from 'msw';
import type { Effect, HistoryOp } from './check/history.ts';
import type { FaultCoverage } from './faults/injector.ts';
import { type FaultPlan, type FaultPlanInput, parseFaultPlan } from './faults/plan.ts';
import type { ActorSummary, BlockedActor } from './sim/actors.ts';
import { invalidOptions } from './sim/errors.ts';
import type { Problem } from './sim/kernel.ts';
import { type LatencyModel, latencyModelProblems } from './sim/latency.ts';
import { type Limits, qualifyLimits } from './sim/limits.ts';
import { normalizeSeed, type Seed } from './sim/rng.ts';
import { wallClockMs } from './sim/runGlobals.ts';
import { type StrategyOptions, strategyProblems } from './sim/strategy.ts';
import type { TraceEvent } from './sim/trace.ts';
import type { DeadlockCycle } from './sim/waitGraph.ts';
import type { Brain } from './world/llm/brains.ts';
import type { SpendSummary } from './world/llm/ledger.ts';
import type { GenerationTiming, ModelConfig } from './world/llm/llmService.ts';
import { defaultPrices, type PriceTable, priceOf } from './world/llm/pricing.ts';
import { compatibleHosts, NATIVE_PROVIDERS, PROVIDER_NAME } from './world/llm/providers.ts';
import { type McpServerSpec, type QualifiedMcpServer, qualifyMcpServers } from './world/mcp/serverConfig.ts';
import type { Snapshot } from './world/stores/versionedMap.ts';
import type { Tool, ToolCallRecord } from './world/tools.ts';
import type { World } from './world/world.ts';

export type Agent<T> = (world: World) => Promise<T> | T;

export type Outcome = 'ok' | 'threw' | 'crashed' | 'deadlock' | 'livelock' | 'timeout' | 'budget';

export interface SimulateOptions {
  /** The run's seed (default 0). The run is a pure function of it and the other options. */
  readonly seed?: Seed;
  /**
   * msw request handlers that serve `world.fetch`. Prefer a function that builds them: it is
   * called once per run, so handlers that keep state (a counter, `{ once: true }`) start fresh.
   */
  readonly handlers?: readonly RequestHandler[] | (() => readonly RequestHandler[]);
  /** One-way network latency of `world.fetch` (default uniform 5–50 ms each way). */
  readonly latency?: LatencyModel;
  /** Bounds on the run; see `Limits`. */
  readonly limits?: Partial<Limits>;
  /** Where the virtual clock starts (default 2025-01-01T00:00:00Z). */
  readonly startTime?: number | string | Date;
  /** The scenario's name, for error messages and reports. */
  readonly scenario?: string;
  /** The fault plan: rules `{ target, kind, when?, params? }` (see harness/faults/plan.ts). */
  readonly faults?: FaultPlanInput;
  /** The simulated LLMs, served to SDKs through world.fetch and to agent code through world.llm. */
  readonly llm?: LlmOptions;
  /** Tools agent code calls through world.tools. */
  readonly tools?: readonly Tool[];
  /**
   * Simulated MCP servers by name: a factory (a fresh McpServer per connection and per HTTP
   * session), or `{ server: factory, url?, response?, resumable?, sseUrl? }`. Each is reached
   * in-process (`world.mcp.connect(name)`) and over HTTP at `world.mcp.url(name)`.
   */
  readonly mcp?: Readonly<Record<string, McpServerSpec>>;
  /** One-way latency of each half of a store call (default fixed 1 ms). */
  readonly storeLatency?: LatencyModel;
  /** A fault-free phase after the run, in which `agent` must make the stores converge. */
  readonly heal?: HealOptions;
  /** How events ready at the same virtual instant are ordered (default first-in-first-out). */
  readonly schedule?: StrategyOptions;
  /**
   * `'world'` (default): only world.fetch reaches the simulated network; any other network call
   * fails. `'global'`: the global fetch and node:http(s) are served by the world too (through msw's
   * setupServer), for agent code that cannot be handed world.fetch; they act as the main actor.
   */
  readonly network?: 'world' | 'global';
  /**
   * The real-time source of the wall-clock guard (default: the process's monotonic clock). Only
   * tests of the guard itself replace it.
   */
  readonly wallClock?: () => number;
}

export interface HealOptions {
  /** The reconciliation to run (an outbox drainer, a repair job); it runs as actor `heal`. */
  readonly agent: Agent<unknown>;
  /** How long the heal phase may take, in virtual milliseconds (default 60 000). */
  readonly virtualTimeMs?: number;
}

export interface HealResult {
  readonly outcome: Outcome;
  readonly value?: unknown;
  readonly error?: unknown;
  readonly message: string;
  /** Virtual time at which the heal phase ended. */
  readonly endedAt: number;
}

export interface LlmOptions {
  /** Models by the name clients ask for: a brain, or a brain with versions. */
  readonly models: Readonly<Record<string, Brain | ModelConfig>>;
  /** Prices per million tokens, merged over the defaults (harness/world/llm/pricing.ts). */
  readonly prices?: PriceTable;
  /** Generation time (default: first token after 200–800 ms, then 10 ms per token). */
  readonly timing?: Partial<GenerationTiming>;
  /**
   * More OpenAI-compatible hosts, by the provider name targets use (`llm:<name>/<model>`): the
   * base URL(s) a client's `baseURL` points at, e.g. `{ 'my-proxy': 'https://llm.internal.example/v1' }`.
   * Chat Completions and Responses are served under each. Well-known hosts (OpenRouter, Groq,
   * Together, Fireworks, DeepSeek, Mistral, xAI, Ollama, vLLM, LiteLLM) are served already; a
   * declared URL for one of those names adds to its own.
   */
  readonly hosts?: Readonly<Record<string, string | readonly string[]>>;
}

export interface RunResult<T = unknown> {
  readonly outcome: Outcome;
  /** The agent's return value, when `outcome` is `ok`. */
  readonly value?: T;
  /** What the agent threw, when `outcome` is `threw`. */
  readonly error?: unknown;
  /** One or two sentences on how the run ended, with the virtual time and what to do. */
  readonly message: string;
  /**
   * For `timeout`: the limit that ended the run, `virtualTime` (limits.virtualTimeMs, deterministic)
   * or `wallClock` (limits.wallClockMs of real time: a rerun of such a run takes as long again).
   */
  readonly limit?: 'virtualTime' | 'wallClock';
  readonly seed: string;
  readonly scenario: string | undefined;
  readonly virtualTimeMs: number;
  readonly trace: readonly TraceEvent[];
  readonly traceHash: string;
  readonly actors: readonly ActorSummary[];
  /** For `deadlock`: every unfinished actor and what it waits on. */
  readonly blocked: readonly BlockedActor[];
  /** For `deadlock`, when the waits form a cycle: who waits for whom, on what, since when. */
  readonly cycle?: DeadlockCycle;
  /** Things the harness noticed that are not faults of the agent: unhandled requests, real network calls. */
  readonly problems: readonly Problem[];
  /**
   * LLM spend per actor and per model: `attempts` (every request that reached a provider, refused
   * ones included) and billed `calls`, tokens and dollars (retries that reached a model included).
   */
  readonly spend: SpendSummary;
  /** Every store operation, Jepsen style (invoke, then ok / fail / info). */
  readonly history: readonly HistoryOp[];
  /** What the stores actually applied (ground truth only a simulator has). */
  readonly effects: readonly Effect[];
  /** Every tool call (`world.tools.call`) with its arguments and how it answered, in call order. */
  readonly toolCalls: readonly ToolCallRecord[];
  /** The final state of every store, by name: entity key → version (and value). */
  readonly stores: Readonly<Record<string, Snapshot>>;
  /** How the heal phase went, when there was one. */
  readonly heal?: HealResult;
  /** The fault plan the run used, with defaults filled in. */
  readonly faults: FaultPlan;
  /** The yield points the run visited and, per rule, the calls it matched, selected and changed. */
  readonly coverage: FaultCoverage;
  /** The strategy and the choices it made: replay them with `{ kind: 'replay', choices }`. */
  readonly schedule: { readonly strategy: StrategyOptions; readonly choices: readonly string[] };
  readonly stats: { readonly steps: number; readonly traceEvents: number };
}

const DEFAULT_START = Date.UTC(2025, 0, 1);
const DEFAULT_LATENCY: LatencyModel = { kind: 'uniform', minMs: 5, maxMs: 50 };
const DEFAULT_TIMING: GenerationTiming = { firstTokenMs: { kind: 'uniform', minMs: 200, maxMs: 800 }, perTokenMs: 10 };

function qualifyModels(llm: LlmOptions | undefined, problems: string[]): Record<string, ModelConfig> {
  const out: Record<string, ModelConfig> = {};
  for (const [name, model] of Object.entries(llm?.models ?? {})) {
    if (typeof model === 'function') out[name] = { brain: model };
    else if (typeof model === 'object' && model !== null && typeof model.brain === 'function') out[name] = model;
    else problems.push(`llm.models["${name}"] must be a brain (a function) or { brain, version?, versions? }`);
  }
  return out;
}

function qualifyHosts(declared: LlmOptions['hosts'], problems: string[]): Record<string, string[]> {
  for (const [name, urls] of Object.entries(declared ?? {})) {
    if (!PROVIDER_NAME.test(name) || (NATIVE_PROVIDERS as readonly string[]).includes(name)) {
      problems.push(
        `llm.hosts["${name}"]: a host's name is how targets name it (llm:${name}/<model>): lower case letters, digits and dashes, and not one of ${NATIVE_PROVIDERS.join(', ')}`,
      );
      continue;
    }
    for (const url of typeof urls === 'string' ? [urls] : urls) {
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        problems.push(`llm.hosts["${name}"]: expected an http(s) base URL such as "https://llm.example.com/v1", got ${JSON.stringify(url)}`);
      }
    }
  }
  return compatibleHosts(declared);
}

export interface QualifiedOptions {
  readonly seed: string;
  readonly handlers: RequestHandler[];
  readonly faults: FaultPlan;
  readonly models: Readonly<Record<string, ModelConfig>>;
  readonly prices: PriceTable;
  readonly timing: GenerationTiming;
  /** OpenAI-compatible hosts by provider name, the built-in ones included. */
  readonly hosts: Readonly<Record<string, readonly string[]>>;
  readonly tools: readonly Tool[];
  readonly mcp: Readonly<Record<string, QualifiedMcpServer>>;
  readonly network: 'world' | 'global';
  readonly schedule: StrategyOptions;
  readonly storeLatency: LatencyModel;
  readonly heal: HealOptions | undefined;
  readonly latency: LatencyModel;
  readonly limits: Limits;
  readonly startTime: number;
  readonly scenario: string | undefined;
  readonly wallClock: () => number;
}

export function qualify(options: SimulateOptions): QualifiedOptions {
  const problems: string[] = [];
  let seed = '0';
  try {
    seed = normalizeSeed(options.seed ?? 0);
  } catch (error) {
    problems.push(`seed: ${(error as Error).message}`);
  }
  const { limits, problems: limitProblems } = qualifyLimits(options.limits);
  problems.push(...limitProblems);
  const latency = options.latency ?? DEFAULT_LATENCY;
  problems.push(...latencyModelProblems(latency, 'latency'));
  const startTime = options.startTime === undefined ? DEFAULT_START : new Date(options.startTime).getTime();
  if (!Number.isFinite(startTime)) problems.push(`startTime must be a date, got ${JSON.stringify(options.startTime)}`);
  const handlers = typeof options.handlers === 'function' ? options.handlers() : (options.handlers ?? []);
  if (!Array.isArray(handlers)) problems.push('handlers must be an array of msw request handlers (or a function returning one)');
  const models = qualifyModels(options.llm, problems);
  const prices = { ...defaultPrices, ...options.llm?.prices };
  for (const [name, config] of Object.entries(models)) {
    // A name that answers as a priced version (an Azure deployment named after its team, say) is billed as that version.
    const named = config.version !== undefined && priceOf(config.version, prices) !== undefined ? undefined : name;
    for (const version of [named, config.version, ...Object.keys(config.versions ?? {})]) {
      if (version !== undefined && priceOf(version, prices) === undefined) {
        problems.push(`llm.models["${name}"]: no price for "${version}"; add llm.prices["${version}"] = { inputPerMTok, outputPerMTok }`);
      }
    }
  }
  const hosts = qualifyHosts(options.llm?.hosts, problems);
  const timing: GenerationTiming = { ...DEFAULT_TIMING, ...options.llm?.timing };
  problems.push(...latencyModelProblems(timing.firstTokenMs, 'llm.timing.firstTokenMs'));
  if (options.network !== undefined && options.network !== 'world' && options.network !== 'global') {
    problems.push(`network must be "world" or "global", got ${JSON.stringify(options.network)}`);
  }
  problems.push(...strategyProblems(options.schedule));
  if (options.storeLatency !== undefined) problems.push(...latencyModelProblems(options.storeLatency, 'storeLatency'));
  if (options.heal !== undefined && typeof options.heal.agent !== 'function') problems.push('heal.agent must be a function (world) => …');
  const tools = options.tools ?? [];
  const names = new Set<string>();
  for (const tool of tools) {
    if (names.has(tool.name)) problems.push(`tools: two tools are called "${tool.name}"`);
    names.add(tool.name);
  }
  const mcp = qualifyMcpServers(options.mcp, problems);
  // The fault plan reports its own problems, with field paths, in one error.
  const faults = parseFaultPlan(options.faults ?? []);
  if (problems.length > 0) {
    throw invalidOptions('simulate() options', problems, 'Fix the options listed above and run again');
  }
  return {
    seed,
    handlers: [...handlers],
    faults,
    models,
    prices,
    timing,
    hosts,
    tools,
    mcp,
    network: options.network ?? 'world',
    schedule: options.schedule ?? { kind: 'fifo' },
    storeLatency: options.storeLatency ?? { kind: 'fixed', ms: 1 },
    heal: options.heal,
    latency,
    limits,
    startTime,
    scenario: options.scenario,
    wallClock: options.wallClock ?? wallClockMs,
  };
}
