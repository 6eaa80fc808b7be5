// Worker threads for the runs of a check. A run patches the process's globals (timers, Date,
// Math.random, fetch), so runs cannot share a thread at the same time; each worker is a fresh
// realm whose globals its runs own. A worker cannot be handed a closure, so it loads the scenario
// itself, by reference: a scenario file, a module exporting `scenario`, or a built-in id, and the
// agent by name (harness/runWorker.ts). The pool is tinypool (see the commit that added it).
//
// Runs are sent in chunks of consecutive cases; the worker stops a chunk at its first failure, or
// before a case once a stop was requested (a soak's deadline, or the caller no longer needing the
// chunk). The caller consumes outcomes in run order, so the first failure in run order is the one
// it sees whatever the worker count. A worker whose current case makes no progress for longer than
// a run may take is ended, and the chunk comes back as stalled on that case, with an error naming
// the scenario, the seed and the case: never a hang. A worker that crashes fails the chunk with an
// error naming the same.
import os from 'node:os';
import Tinypool from 'tinypool';
import type { FaultCoverage } from '../faults/injector.ts';
import type { ImportScope } from '../scenario/importModule.ts';
import { FaultlineError } from '../sim/errors.ts';
import type { RunCase } from './arbitraries.ts';
import type { PropertyVerdict } from './properties/property.ts';
import { type RunStop, stopRequested } from './runStop.ts';

/**
 * How a worker finds a scenario: what `faultline run` accepts (a scenario file, a module exporting
 * `scenario`, or a built-in id such as `04-cap-for-agents`), and the agent by name (one of the
 * scenario's `agents`, or `agent` for its own; default: its own `agent`). It must name the same
 * scenario and agent the check was given; the check loads it first (harness/loadReference.ts).
 */
export interface ScenarioReference extends ImportScope {
  readonly scenario: string;
  readonly agent?: string;
}

/** One case sent to a worker, and what came back. */
export interface RunTask {
  readonly reference: ScenarioReference;
  readonly cases: readonly RunCase[];
  readonly determinism: boolean;
  /** [case being run (index in `cases`, -1 before the first), cases finished]: the worker's progress, read on a stall. */
  readonly progress: SharedArrayBuffer;
  /** Start no case once one of these is requested (harness/check/runStop.ts); the outcomes then end early. */
  readonly stops: readonly RunStop[];
}

/** A chunk of consecutive cases for one worker, and how to name one of them in an error. */
export interface ChunkRequest {
  readonly reference: ScenarioReference;
  readonly cases: readonly RunCase[];
  readonly determinism: boolean;
  /** Real milliseconds one case may run without finishing before its worker is ended as stalled. */
  readonly stallMs: number;
  /** Names `cases[i]` in an error (scenario, seed, case, replay). */
  readonly describe: (i: number) => string;
  /**
   * Start no more cases once one of these is requested; a chunk not started `stallMs` after that is
   * dropped (taken off the queue, or its worker ended if it is stuck loading the scenario).
   */
  readonly stops?: readonly RunStop[];
}

/**
 * What a chunk came back with: the outcomes of the cases run, in order, ending at the first failure,
 * at the end of the chunk, or where a stop came; or, when its worker stalled on case `stalled`
 * (agent code that never yields), the error naming it, the worker having been ended.
 */
export type ChunkResult =
  | { readonly outcomes: readonly CaseOutcome[]; readonly stalled?: undefined }
  | { readonly outcomes: readonly CaseOutcome[]; readonly stalled: number; readonly error: FaultlineError };

export interface CaseOutcome {
  readonly failed: boolean;
  readonly verdicts: readonly PropertyVerdict[];
  readonly coverage: FaultCoverage;
  /** What the run produced that a property may name (subjectsOf), for the vacuity tally. */
  readonly subjects: readonly string[];
}

/**
 * Runs a worker thread must have ahead of it to pay for starting: a worker loads the harness's
 * modules before its first run, ~2–3 s on a 2-core machine (as long as ~1,000 runs), and more
 * when several start on the same cores.
 */
export const RUNS_PER_WORKER = 2_500;

/**
 * The worker count to use by default for `runs` runs: the cores this process may use
 * (os.availableParallelism()), but no more workers than the runs pay for (one per {@link RUNS_PER_WORKER}).
 */
export function defaultWorkers(runs: number): number {
  return Math.max(1, Math.min(os.availableParallelism(), Math.floor(runs / RUNS_PER_WORKER)));
}

/**
 * Soak time a worker thread must have ahead of it to pay for starting (see {@link RUNS_PER_WORKER}):
 * a worker spends its first seconds loading, while the calling thread would already be running.
 */
export const SOAK_MS_PER_WORKER = 10_000;

/**
 * The worker count to use by default for a soak of `forMs` real milliseconds: the cores this process
 * may use, but no more workers than the time pays for (one per {@link SOAK_MS_PER_WORKER}); 1 (the
 * calling thread) for a soak shorter than 20 s.
 */
export function defaultSoakWorkers(forMs: number): number {
  return Math.max(1, Math.min(os.availableParallelism(), Math.floor(forMs / SOAK_MS_PER_WORKER)));
}

/** The worker module: the TypeScript source in this repository, the built JavaScript in the package. */
function workerModule(): string {
  const self = import.meta.url;
  const ext = self.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(`../runWorker${ext}`, self).href;
  if (ext === '.js') return url;
  // Node 20 cannot load TypeScript, and loader hooks are not inherited by worker threads: a small
  // bootstrap registers tsx in the worker first (absolute URLs: a data: module resolves no bare names).
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import { register } from ${JSON.stringify(tsx)};\nregister();\nexport default (await import(${JSON.stringify(url)})).default;\n`;
  return `data:text/javascript,${encodeURIComponent(code)}`;
}

/** A pool of worker threads for checks; create one per check (or per CLI invocation) and `close()` it. */
export class RunPool {
  readonly workers: number;
  private readonly pool: Tinypool;
  private closed = false;

  constructor(workers: number) {
    if (!Number.isSafeInteger(workers) || workers < 1) {
      throw new FaultlineError('INVALID_OPTIONS', { what: `workers must be a whole number of at least 1, got ${String(workers)}` });
    }
    this.workers = workers;
    this.pool = new Tinypool({
      filename: workerModule(),
      minThreads: workers,
      maxThreads: workers,
      // Each worker runs one chunk at a time; its globals belong to that chunk's runs.
      concurrentTasksPerWorker: 1,
      // The run's own watchdog would end the whole process from a worker; this pool ends a stuck worker instead.
      env: { ...process.env, FAULTLINE_WATCHDOG: 'off' } as Record<string, string>,
    });
  }

  /**
   * Runs a chunk in one worker (see {@link ChunkResult}). A case that runs for longer than
   * `stallMs` real milliseconds without finishing ends the worker (tinypool starts another).
   * @throws FaultlineError WORKER_FAILED when the worker crashed (it could not load the scenario,
   *   or its thread died), naming the case it was running.
   */
  async run(chunk: ChunkRequest): Promise<ChunkResult> {
    const { stallMs } = chunk;
    const stops = chunk.stops ?? [];
    const progress = new SharedArrayBuffer(8);
    const state = new Int32Array(progress);
    state[0] = -1;
    const task: RunTask = { reference: chunk.reference, cases: chunk.cases, determinism: chunk.determinism, progress, stops };
    const abort = new AbortController();
    let stalled: number | undefined;
    let dropped = false;
    let stoppedAt: number | undefined;
    let seen = -1;
    let since = realNow();
    const timer = setInterval(
      () => {
        const started = Atomics.load(state, 0) >= 0;
        const beats = started ? Atomics.load(state, 1) : -1;
        if (!started && stopRequested(stops)) {
          // Stopped before its worker began, it will run nothing: a healthy worker takes it and
          // returns at once, but one still starting (tinypool's replacement for an ended worker)
          // or stuck loading the scenario must not hold the caller longer than a stalled case would.
          stoppedAt ??= realNow();
          if (realNow() - stoppedAt > stallMs) {
            dropped = true;
            abort.abort();
          }
        } else if (beats !== seen) {
          seen = beats;
          since = realNow();
        } else if (beats >= 0 && realNow() - since > stallMs) {
          stalled = Atomics.load(state, 0);
          abort.abort();
        }
      },
      Math.min(1000, Math.max(50, stallMs / 4)),
    );
    timer.unref?.();
    try {
      return { outcomes: (await this.pool.run(task, { signal: abort.signal })) as CaseOutcome[] };
    } catch (error) {
      if (this.closed) throw error;
      if (dropped) return { outcomes: [] };
      const at = stalled ?? Math.max(0, Atomics.load(state, 0));
      const why =
        stalled !== undefined
          ? `made no progress for ${Number((stallMs / 1000).toFixed(1))} s (agent code that never yields, or a run that outlived its wall-clock limit); the worker was ended`
          : `crashed: ${(error as Error)?.message ?? String(error)}`;
      const failure = new FaultlineError('WORKER_FAILED', {
        what: `A worker thread running ${chunk.describe(at)} ${why}`,
        todo: 'Replay that case with workers: 1 (--workers 1) to see it in the calling thread, where the watchdog stops code that never yields',
      });
      if (stalled === undefined) throw failure;
      return { outcomes: [], stalled, error: failure };
    } finally {
      clearInterval(timer);
    }
  }

  /** Ends the worker threads; the process is left as it was before the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.destroy();
  }
}

// Real time for stall detection (a run in this thread may have Date faked; this thread runs none while it waits).
const realPerformance = performance;
function realNow(): number {
  return realPerformance.now();
}
