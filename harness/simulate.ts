// simulate(agent, options): one deterministic run of real agent code in a simulated world.
// The public function validates the options and fills in every default once; the kernel, the
// world and the run loop then never ask "was this set?".
import type { RequestHandler } from 'msw';
import type { ActorSummary, BlockedActor } from './sim/actors.ts';
import { summarize } from './sim/actors.ts';
import { FaultlineError, invalidOptions } from './sim/errors.ts';
import { describeError, Kernel, type Problem } from './sim/kernel.ts';
import { type LatencyModel, latencyModelProblems } from './sim/latency.ts';
import { type Limits, qualifyLimits } from './sim/limits.ts';
import { normalizeSeed, Rng, type Seed } from './sim/rng.ts';
import { RunGlobals, wallClockMs } from './sim/runGlobals.ts';
import { type Ending, runLoop } from './sim/runLoop.ts';
import { hashTrace, type TraceEvent } from './sim/trace.ts';
import { chainHandlers } from './world/fetch.ts';
import { createWorld, type World } from './world/world.ts';

export type Agent<T> = (world: World) => Promise<T> | T;

export type Outcome = 'ok' | 'threw' | 'deadlock' | 'livelock' | 'timeout' | 'budget';

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
  /**
   * The real-time source of the wall-clock guard (default: the process's monotonic clock). Only
   * tests of the guard itself replace it.
   */
  readonly wallClock?: () => number;
}

export interface RunResult<T = unknown> {
  readonly outcome: Outcome;
  /** The agent's return value, when `outcome` is `ok`. */
  readonly value?: T;
  /** What the agent threw, when `outcome` is `threw`. */
  readonly error?: unknown;
  /** One or two sentences on how the run ended, with the virtual time and what to do. */
  readonly message: string;
  readonly seed: string;
  readonly scenario: string | undefined;
  readonly virtualTimeMs: number;
  readonly trace: readonly TraceEvent[];
  readonly traceHash: string;
  readonly actors: readonly ActorSummary[];
  /** For `deadlock`: every unfinished actor and what it waits on. */
  readonly blocked: readonly BlockedActor[];
  /** Things the harness noticed that are not faults of the agent: unhandled requests, real network calls. */
  readonly problems: readonly Problem[];
  readonly stats: { readonly steps: number; readonly traceEvents: number };
}

const DEFAULT_START = Date.UTC(2025, 0, 1);
const DEFAULT_LATENCY: LatencyModel = { kind: 'uniform', minMs: 5, maxMs: 50 };

interface QualifiedOptions {
  readonly seed: string;
  readonly handlers: RequestHandler[];
  readonly latency: LatencyModel;
  readonly limits: Limits;
  readonly startTime: number;
  readonly scenario: string | undefined;
  readonly wallClock: () => number;
}

function qualify(options: SimulateOptions): QualifiedOptions {
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
  if (problems.length > 0) {
    throw invalidOptions('simulate() options', problems, 'Fix the options listed above and run again');
  }
  return {
    seed,
    handlers: [...handlers],
    latency,
    limits,
    startTime,
    scenario: options.scenario,
    wallClock: options.wallClock ?? wallClockMs,
  };
}

/** Runs `agent` once in a simulated world and reports how the run ended. */
export async function simulate<T>(agent: Agent<T>, options: SimulateOptions = {}): Promise<RunResult<T>> {
  const q = qualify(options);
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
  const kernel = new Kernel({ rng, startTime: q.startTime, limits: q.limits, scenario: q.scenario, wallClock: q.wallClock });
  const globals = RunGlobals.install({
    startTime: q.startTime,
    rng,
    onBlocked: (what, via) => {
      const error = new FaultlineError('REAL_NETWORK', {
        what: `Real network call blocked: ${what}, made through ${via} during a simulated run`,
        where: kernel.where(),
        todo:
          'A simulated run never touches the network. Give the client the world\'s fetch ' +
          '(new OpenAI({ fetch: world.fetch })) and add an msw handler for this URL to the run\'s handlers',
      });
      kernel.problem('real-network', error.message, undefined);
      return error;
    },
  });
  let ending: Ending<T>;
  let steps = 0;
  try {
    kernel.attach(globals);
    kernel.trace.record({ type: 'run.start', seed: q.seed });
    const main = kernel.addActor('main', undefined);
    const world = createWorld({ kernel, fetch: { handlers: chainHandlers(q.handlers), latency: q.latency } }, main);
    ({ ending, steps } = await runLoop(kernel, main, async () => agent(world)));
    kernel.finish(ending.outcome);
  } finally {
    kernel.ended = true;
    globals.restore();
  }
  const trace = kernel.trace.events;
  const result = {
    outcome: ending.outcome,
    ...(ending.outcome === 'ok' ? { value: ending.value } : {}),
    ...(ending.outcome === 'threw' ? { error: ending.error } : {}),
    message: describeEnding(ending, kernel),
    seed: q.seed,
    scenario: q.scenario,
    virtualTimeMs: kernel.endTime,
    trace,
    traceHash: '',
    actors: kernel.actors.map(summarize),
    blocked: ending.outcome === 'deadlock' ? ending.blocked : [],
    problems: kernel.problems,
    stats: { steps, traceEvents: trace.length },
  };
  // Hashing a trace costs more than a short run's own bookkeeping, so the hash is computed when it
  // is first read, and then kept.
  let hash: string | undefined;
  Object.defineProperty(result, 'traceHash', { enumerable: true, get: () => (hash ??= hashTrace(trace)) });
  return result;
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

function describeEnding(ending: Ending<unknown>, kernel: Kernel): string {
  const t = `t=${kernel.endTime}ms`;
  const { limits } = kernel;
  // Problems the agent may have swallowed (an SDK retrying an unhandled request, say) are named in
  // the message unless the agent's own error already is that problem.
  const first = kernel.problems[0];
  const echoed = ending.outcome === 'threw' && ending.error instanceof Error && ending.error.message === first?.message;
  const problems =
    first === undefined || echoed
      ? ''
      : ` The harness also saw ${kernel.problems.length} problem(s); the first: ${first.message}`;
  switch (ending.outcome) {
    case 'ok':
      return `The agent finished at ${t}.${problems}`;
    case 'threw':
      return (
        `The agent threw at ${t}${ending.fromTimer === true ? ' (from a timer callback)' : ''}: ` +
        `${describeError(ending.error)}.${problems}`
      );
    case 'deadlock':
      return (
        `Deadlock at ${t}: the agent has not finished and nothing is scheduled. ` +
        `${ending.blocked.map((b) => b.explanation).join('; ')}.${problems}`
      );
    case 'timeout':
      return ending.limit === 'virtualTime'
        ? `The run reached its virtual time limit (limits.virtualTimeMs = ${limits.virtualTimeMs}) at ${t} ` +
            `without the agent finishing. Raise the limit if the agent legitimately needs longer.${problems}`
        : `The run was abandoned after ${limits.wallClockMs}ms of real time (limits.wallClockMs), at virtual ${t}. ` +
            `This is the one non-deterministic limit: look for agent code that keeps the CPU busy ` +
            `without awaiting the world.${problems}`;
    case 'livelock':
      return (
        `The run took ${limits.steps} steps (limits.steps) without finishing, at ${t}: ` +
        `it keeps scheduling work without completing. Raise limits.steps if it legitimately needs more.${problems}`
      );
  }
}
