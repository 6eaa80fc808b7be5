// simulate(agent, options): one deterministic run of real agent code in a simulated world.
// The public function validates the options and fills in every default once; the kernel, the
// world and the run loop then never ask "was this set?".
import type { RequestHandler } from 'msw';
import { providerRoutes } from '../adapters/index.ts';
import { HistoryRecorder } from './check/history.ts';
import { describeEnding } from './describeEnding.ts';
import { FaultInjector } from './faults/injector.ts';
import { type Agent, type HealOptions, type HealResult, qualify, type RunResult, type SimulateOptions } from './options.ts';
import { summarize } from './sim/actors.ts';
import { FaultlineError } from './sim/errors.ts';
import { Kernel } from './sim/kernel.ts';
import { redactRun } from './sim/redact.ts';
import { Rng } from './sim/rng.ts';
import { RunGlobals } from './sim/runGlobals.ts';
import { type Ending, runLoop } from './sim/runLoop.ts';
import { hashTrace, type TraceEvent } from './sim/trace.ts';
import { watchdog } from './sim/watchdog.ts';
import { Coordination } from './world/coordination/coordination.ts';
import { chainHandlers } from './world/fetch.ts';
import { installGlobalNetwork } from './world/globalNetwork.ts';
import { spendTree } from './world/llm/callGraph.ts';
import { Ledger } from './world/llm/ledger.ts';
import { LlmService } from './world/llm/llmService.ts';
import { McpHub } from './world/mcp/mcpHub.ts';
import { Stores } from './world/stores/stores.ts';
import { ToolBox } from './world/tools.ts';
import { createWorld, type WorldContext } from './world/world.ts';

export type { Agent, Outcome, RunResult, SimulateOptions } from './options.ts';

/** Runs `agent` once in a simulated world and reports how the run ended. */
export async function simulate<T>(agent: Agent<T>, options: SimulateOptions = {}): Promise<RunResult<T>> {
  const q = qualify(options);
  // The watchdog's thread must exist before the run starts, or it would count as the run's real work.
  if (!watchdog.started) await watchdog.start();
  if (RunGlobals.busy) {
    throw new FaultlineError('OVERLAPPING_RUN', {
      what: 'simulate() was called while another simulated run is in progress',
      where: { scenario: q.scenario },
      todo:
        'Runs take over process-wide globals (timers, Math.random, fetch), so they cannot overlap: ' +
        'await each run before starting the next, and do not use test.concurrent for simulation tests',
    });
  }
  resetHandlerState(q.handlers);
  const rng = new Rng(q.seed);
  const kernel = new Kernel({ rng, startTime: q.startTime, limits: q.limits, scenario: q.scenario, wallClock: q.wallClock, strategy: q.schedule });
  const globals = RunGlobals.install({
    startTime: q.startTime,
    rng,
    interceptHttp: q.network === 'global',
    onBlocked: (what, via) => {
      const error = new FaultlineError('REAL_NETWORK', {
        what: `Real network call blocked: ${what}, made through ${via} during a simulated run`,
        where: kernel.where(),
        todo: via.startsWith('net.Server')
          ? "A simulated run serves nothing on real ports. Put the server's behaviour in an msw handler (or a route) and call it with world.fetch"
          : "A simulated run never touches the network. Give the client the world's fetch " +
            "(new OpenAI({ fetch: world.fetch })) and add an msw handler for this URL to the run's handlers" +
            (q.network === 'global' ? '' : "; a client that takes no fetch option (@google/genai, the AWS SDK) runs in simulate({ network: 'global' })"),
      });
      kernel.problem('real-network', error.message, undefined);
      return error;
    },
  });
  let ending: Ending<T>;
  let steps = 0;
  const ledger = new Ledger();
  const history = new HistoryRecorder();
  const injector = new FaultInjector(q.faults, kernel);
  watchSpend(kernel, ledger);
  const stores = new Stores({ kernel, injector, history, latency: q.storeLatency });
  let heal: HealResult | undefined;
  let message = '';
  let uninstallGlobalNetwork: (() => void) | undefined;
  const tools = new ToolBox(kernel, injector, q.tools);
  const unseeded = new Set<string>();
  globals.onUnseeded = (source) => {
    if (unseeded.has(source)) return;
    unseeded.add(source);
    kernel.trace.record({ type: 'mark', name: 'unseeded', data: { source } });
  };
  try {
    kernel.attach(globals);
    kernel.trace.record({ type: 'run.start', seed: q.seed });
    const main = kernel.addActor('main', undefined);
    const llm = new LlmService(kernel, injector, ledger, q.models, q.prices, q.timing, q.hosts);
    const mcp = new McpHub(kernel, injector, q.mcp);
    // The agent's own handlers come first, so they can override the simulated providers and MCP servers.
    const handlers = chainHandlers([...q.handlers, ...(Object.keys(q.models).length > 0 ? providerRoutes(llm) : []), ...mcp.routes()]);
    const context: WorldContext = {
      kernel,
      injector,
      llm,
      tools,
      mcp,
      coordination: new Coordination(kernel),
      stores,
      fetch: { handlers, latency: q.latency, injector },
    };
    const world = createWorld(context, main);
    if (q.network === 'global') uninstallGlobalNetwork = installGlobalNetwork(world.fetch);
    ({ ending, steps } = await runLoop(kernel, main, async () => agent(world)));
    if (ending.outcome === 'budget' && !ending.reason.includes('Spend by actor:')) {
      // Work budgets (actors, spawn depth) are crossed in the kernel, which knows no spend: the
      // call graph is added here, where the ledger is.
      ending = { ...ending, reason: `${ending.reason}. Spend by actor:\n${spendTree(kernel.actors, ledger.summary())}` };
    }
    message = describeEnding(ending, kernel);
    if (q.heal !== undefined && !(ending.outcome === 'timeout' && ending.limit === 'wallClock')) {
      heal = await runHeal(context, q.heal);
      steps = kernel.steps;
    }
    kernel.finish(ending.outcome);
  } finally {
    kernel.ended = true;
    try {
      uninstallGlobalNetwork?.();
    } finally {
      globals.restore();
      // Worker threads and child processes the agent left running end with the run.
      globals.realWork.stopAll();
    }
  }
  const trace = kernel.trace.events;
  const result = {
    outcome: ending.outcome,
    ...(ending.outcome === 'ok' ? { value: ending.value } : {}),
    ...(ending.outcome === 'threw' ? { error: ending.error } : {}),
    message: redactRun(message, kernel.secrets),
    ...(ending.outcome === 'timeout' ? { limit: ending.limit } : {}),
    seed: q.seed,
    scenario: q.scenario,
    virtualTimeMs: kernel.endTime,
    trace,
    traceHash: '',
    actors: kernel.actors.map(summarize),
    blocked: ending.outcome === 'deadlock' ? ending.blocked : [],
    ...(ending.outcome === 'deadlock' && ending.cycle !== undefined ? { cycle: ending.cycle } : {}),
    problems: kernel.problems.map((p) => ({ ...p, message: redactRun(p.message, kernel.secrets) })),
    spend: ledger.summary(),
    history: history.ops,
    effects: history.effects,
    toolCalls: tools.calls,
    stores: stores.snapshots(),
    ...(heal === undefined ? {} : { heal: { ...heal, message: redactRun(heal.message, kernel.secrets) } }),
    faults: q.faults,
    coverage: injector.coverage(),
    schedule: { strategy: q.schedule, choices: kernel.choices },
    stats: { steps, traceEvents: trace.length },
  };
  // Hashing a trace costs more than a short run's own bookkeeping, so the hash is computed when it
  // is first read, and then kept.
  Object.defineProperty(result, 'traceHash', { enumerable: true, get: traceHashOf });
  return result;
}

const traceHashes = new WeakMap<object, string>();

/**
 * The lazy traceHash of a run's result. One function for every result, reading `this`: a getter
 * made per result would give each result its own hidden class in V8's old space, which kept the
 * run's trace alive through young-generation collections (see guard.ts, Control).
 */
function traceHashOf(this: { readonly trace: readonly TraceEvent[] }): string {
  let hash = traceHashes.get(this);
  if (hash === undefined) {
    hash = hashTrace(this.trace);
    traceHashes.set(this, hash);
  }
  return hash;
}

/** Ends the run the moment LLM spend crosses limits.budget, naming the call graph that spent it. */
function watchSpend(kernel: Kernel, ledger: Ledger): void {
  const budget = kernel.limits.budget;
  if (budget === undefined || (budget.usd === undefined && budget.tokens === undefined && budget.llmCalls === undefined)) return;
  ledger.watch((totals, entry) => {
    const over =
      budget.usd !== undefined && totals.usd > budget.usd
        ? `LLM spend reached $${totals.usd.toFixed(4)}, over limits.budget.usd ($${budget.usd})`
        : budget.tokens !== undefined && totals.inputTokens + totals.outputTokens > budget.tokens
          ? `LLM tokens reached ${totals.inputTokens + totals.outputTokens}, over limits.budget.tokens (${budget.tokens})`
          : budget.llmCalls !== undefined && totals.attempts > budget.llmCalls
            ? `LLM requests reached ${totals.attempts} (${totals.calls} billed, the rest refused or lost), over limits.budget.llmCalls (${budget.llmCalls})`
            : undefined;
    if (over === undefined) return;
    kernel.exceed(`${over}, on a call by ${entry.actor}. Spend by actor:\n${spendTree(kernel.actors, ledger.summary())}`);
  });
}

/**
 * Chaos, then heal: after the agent's run, a fault-free phase of bounded virtual time in which the
 * heal agent (the system's reconciliation: an outbox drainer, a repair job) must make the stores
 * converge. Whatever the chaos phase left running keeps running.
 */
async function runHeal(context: WorldContext, heal: HealOptions): Promise<HealResult> {
  const { kernel, injector } = context;
  injector.disabled = true;
  kernel.deadlock = undefined;
  kernel.trace.record({ type: 'mark', name: 'heal.start' });
  const actor = kernel.addActor('heal', undefined);
  const world = createWorld(context, actor);
  const { ending } = await runLoop(kernel, actor, async () => heal.agent(world), heal.virtualTimeMs ?? 60_000);
  return {
    outcome: ending.outcome,
    ...(ending.outcome === 'ok' ? { value: ending.value } : {}),
    ...(ending.outcome === 'threw' ? { error: ending.error } : {}),
    message: describeEnding(ending, kernel),
    endedAt: kernel.now(),
  };
}

/** msw handlers remember `{ once: true }` use and generator position; each run starts them fresh. */
function resetHandlerState(handlers: readonly RequestHandler[]): void {
  for (const handler of handlers) {
    const h = handler as unknown as { isUsed?: boolean; resolverIterator?: unknown; resolverIteratorResult?: unknown };
    h.isUsed = false;
    if ('resolverIterator' in h) h.resolverIterator = undefined;
    if ('resolverIteratorResult' in h) h.resolverIteratorResult = undefined;
  }
}
