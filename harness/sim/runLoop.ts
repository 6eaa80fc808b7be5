// The run loop. It alternates between letting agent code run until it is idle and advancing the
// world by one step, until the agent has finished or a limit says the run is over.
//
// The terms, precisely (they decide every outcome):
// - idle:     the microtask queue has drained, no setImmediate callback of agent code is waiting,
//             and no real work the agent started (file system, DNS, crypto jobs, child processes,
//             module loads, workers) is in flight. Only then does the kernel look at its queue
//             (DESIGN.md, rules 3 and 7). Waiting for real work takes real time, never virtual time.
// - finished: the main actor's promise has settled. The outcome is `ok` or `threw`, whatever other
//             actors are still doing (their spans end as `unfinished`).
// - stuck:    unfinished, idle, no kernel event ready, and no timer pending on the virtual clock
//             other than the run's own time limit. Nothing can ever happen again: `deadlock`.
// - a step:   one ready kernel event delivered, or one virtual-clock timer fired. More than
//             `limits.steps` steps without finishing is `livelock`.
// Virtual time only moves when the loop fires the next timer, so it never passes a pending event.
//
// Agent code (the agent's body, a delivered event's continuation, a timer callback) is only ever
// started from a microtask (`act`), never from the loop's own frame, so that the watchdog can stop
// code that never yields without taking the loop with it (see guard.ts).
import { type Actor, type BlockedActor, describeBlocked } from './actors.ts';
import { realSleep, realTurn } from './agentCallbacks.ts';
import { guarded, type LoopControl } from './guard.ts';
import type { Kernel } from './kernel.ts';
import { setLongTimeout } from './longTimer.ts';
import { type DeadlockCycle, findAnyCycle } from './waitGraph.ts';

export type Ending<T> =
  | { readonly outcome: 'ok'; readonly value: T }
  | { readonly outcome: 'threw'; readonly error: unknown; readonly fromTimer?: boolean }
  | { readonly outcome: 'deadlock'; readonly blocked: readonly BlockedActor[]; readonly cycle: DeadlockCycle | undefined }
  | { readonly outcome: 'crashed'; readonly reason: string }
  | { readonly outcome: 'budget'; readonly reason: string }
  | {
      readonly outcome: 'timeout';
      readonly limit: 'virtualTime' | 'wallClock';
      /** For a wall-clock timeout: the real work still in flight, if that is what the run waited for. */
      readonly realWork?: readonly string[];
      /** For a wall-clock timeout: the actor whose code never yielded, when the watchdog stopped it. */
      readonly stuck?: { readonly actor: string };
    }
  | { readonly outcome: 'livelock'; readonly limit: 'steps' | 'stallSteps' };

function deadlock(kernel: Kernel, cycle: DeadlockCycle | undefined): Ending<never> {
  const blocked = kernel.actors.filter((a) => a.state === 'running').map(describeBlocked);
  return { outcome: 'deadlock', blocked, cycle };
}

export interface LoopResult<T> {
  readonly ending: Ending<T>;
  readonly steps: number;
}

/**
 * Runs `start` as `main`'s body to an ending, for at most `budgetMs` more virtual milliseconds
 * (default: what is left of limits.virtualTimeMs). The run's globals must be installed.
 */
export async function runLoop<T>(
  kernel: Kernel,
  main: Actor,
  start: () => Promise<T>,
  budgetMs = kernel.limits.virtualTimeMs - kernel.now(),
): Promise<LoopResult<T>> {
  const clock = kernel.globals.clock;
  const limit = { reached: false };
  // The time limit is itself a timer, created before the body runs so that it fires before any
  // timer the body sets for the same instant; the stuck test discounts it.
  const guard = setLongTimeout(clock, budgetMs, () => {
    limit.reached = true;
  });
  try {
    return await guarded<T>(kernel, main, (control) => loop(kernel, main, start, limit, control));
  } finally {
    guard.clear();
  }
}

/**
 * Real milliseconds a run that looks stuck is given before it is called a deadlock, for real work
 * that Node does not list (module loads through a test runner's own loader).
 */
const STUCK_GRACE_MS = 50;

/** Runs `fn` as a microtask of its own; resolves with what it threw, if it threw. */
function act(fn: () => void): Promise<{ readonly error: unknown } | undefined> {
  return new Promise((resolve) => {
    queueMicrotask(() => {
      try {
        fn();
        resolve(undefined);
      } catch (error) {
        resolve({ error });
      }
    });
  });
}

async function loop<T>(kernel: Kernel, main: Actor, start: () => Promise<T>, limit: { reached: boolean }, control: LoopControl): Promise<LoopResult<T>> {
  const { globals, limits } = kernel;
  const clock = globals.clock;
  let settled: Ending<T> | undefined;
  // Agent code starts from a fresh macrotask, with nothing of the harness or the caller left in the
  // microtask queue: if the watchdog has to stop it, V8 drops every queued microtask along with it,
  // and a promise job of the caller's (an async function returning simulate()'s promise queues one)
  // dropped there would leave the caller waiting forever.
  await realTurn();
  control.beat(main);
  await act(() => {
    let running: Promise<T>;
    try {
      running = start();
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => {
        kernel.endActor(main, 'ok');
        settled = { outcome: 'ok', value };
      },
      (error: unknown) => {
        kernel.endActor(main, 'threw', error);
        settled = { outcome: 'threw', error };
      },
    );
  });

  const wallDeadline = kernel.wallClock() + limits.wallClockMs;
  let needDrain = true;
  let realPolls = 0;
  let stuckSince: number | undefined;
  for (;;) {
    if (needDrain) await globals.drain();
    if (control.over) return control.abandoned();
    needDrain = true;
    const steps = kernel.steps;
    if (settled !== undefined) return { ending: settled, steps };
    if (main.state === 'crashed') return { ending: { outcome: 'crashed', reason: main.crashReason ?? 'crashed' }, steps };
    if (kernel.deadlock !== undefined) return { ending: deadlock(kernel, kernel.deadlock), steps };
    if (kernel.overBudget !== undefined) return { ending: { outcome: 'budget', reason: kernel.overBudget }, steps };
    if (limit.reached) return { ending: { outcome: 'timeout', limit: 'virtualTime' }, steps };
    if (steps >= limits.steps) return { ending: { outcome: 'livelock', limit: 'steps' }, steps };
    if (kernel.lastProgressStep !== undefined && steps - kernel.lastProgressStep > limits.stallSteps) {
      return { ending: { outcome: 'livelock', limit: 'stallSteps' }, steps };
    }
    // Real work in flight: wait for it in real time, without a step and without moving the clock.
    const realWork = globals.realWork.pending();
    if (realWork.length > 0) {
      if (kernel.wallClock() > wallDeadline) return { ending: { outcome: 'timeout', limit: 'wallClock', realWork }, steps };
      await (realPolls++ < 16 ? realTurn() : realSleep(1));
      continue;
    }
    if (stuckSince === undefined) realPolls = 0;
    if ((steps & 63) === 0 && kernel.wallClock() > wallDeadline) {
      return { ending: { outcome: 'timeout', limit: 'wallClock' }, steps };
    }
    kernel.steps = steps + 1;

    // Deliver ready events once every event due at this instant has become ready, so that the
    // choice among simultaneous events is the kernel's and not the timers' creation order.
    if (kernel.ready.length > 0 && !kernel.eventsDueNow()) {
      await act(() => kernel.deliverNext((actor) => control.beat(actor)));
      continue;
    }
    if (globals.immediatesPending) continue;
    if (kernel.ready.length === 0 && clock.countTimers() <= 1) {
      // Stuck, unless real work Node does not list (a module load through a test runner's loader,
      // say) is about to wake the agent: a short real-time grace before calling it a deadlock.
      if (stuckSince === undefined) stuckSince = kernel.wallClock();
      if (kernel.wallClock() - stuckSince < STUCK_GRACE_MS) {
        kernel.steps = steps;
        await (realPolls++ < 16 ? realTurn() : realSleep(1));
        continue;
      }
      return { ending: deadlock(kernel, findAnyCycle(kernel.actors)), steps: kernel.steps };
    }
    stuckSince = undefined;
    control.beat(undefined);
    kernel.firedKernelTimer = false;
    // An exception thrown by an agent's timer callback: in Node it would be uncaught.
    const thrown = await act(() => clock.next());
    if (control.over) return control.abandoned();
    if (thrown !== undefined) return { ending: { outcome: 'threw', error: thrown.error, fromTimer: true }, steps: kernel.steps };
    // A kernel timer only moves an event to the ready set; no agent code ran, nothing to drain.
    needDrain = !kernel.firedKernelTimer;
  }
}
