// The run loop. It alternates between letting agent code run until it is idle and advancing the
// world by one step, until the agent has finished or a limit says the run is over.
//
// The terms, precisely (they decide every outcome):
// - idle:     the microtask queue has drained and no setImmediate callback of agent code is
//             waiting. Only then does the kernel look at its queue (DESIGN.md, rule 3).
// - finished: the main actor's promise has settled. The outcome is `ok` or `threw`, whatever other
//             actors are still doing (their spans end as `unfinished`).
// - stuck:    unfinished, idle, no kernel event ready, and no timer pending on the virtual clock
//             other than the run's own time limit. Nothing can ever happen again: `deadlock`.
// - a step:   one ready kernel event delivered, or one virtual-clock timer fired. More than
//             `limits.steps` steps without finishing is `livelock`.
// Virtual time only moves when the loop fires the next timer, so it never passes a pending event.
import { type Actor, type BlockedActor, describeBlocked } from './actors.ts';
import type { Kernel } from './kernel.ts';
import { setLongTimeout } from './longTimer.ts';
import { type DeadlockCycle, findAnyCycle } from './waitGraph.ts';

export type Ending<T> =
  | { readonly outcome: 'ok'; readonly value: T }
  | { readonly outcome: 'threw'; readonly error: unknown; readonly fromTimer?: boolean }
  | { readonly outcome: 'deadlock'; readonly blocked: readonly BlockedActor[]; readonly cycle: DeadlockCycle | undefined }
  | { readonly outcome: 'crashed'; readonly reason: string }
  | { readonly outcome: 'budget'; readonly reason: string }
  | { readonly outcome: 'timeout'; readonly limit: 'virtualTime' | 'wallClock' }
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
    return await loop(kernel, main, start, limit);
  } finally {
    guard.clear();
  }
}

async function loop<T>(kernel: Kernel, main: Actor, start: () => Promise<T>, limit: { reached: boolean }): Promise<LoopResult<T>> {
  const { globals, limits } = kernel;
  const clock = globals.clock;
  let settled: Ending<T> | undefined;
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

  const wallDeadline = kernel.wallClock() + limits.wallClockMs;
  let needDrain = true;
  for (;;) {
    if (needDrain) await globals.drain();
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
    if ((steps & 63) === 0 && kernel.wallClock() > wallDeadline) {
      return { ending: { outcome: 'timeout', limit: 'wallClock' }, steps };
    }
    kernel.steps = steps + 1;

    // Deliver ready events once every event due at this instant has become ready, so that the
    // choice among simultaneous events is the kernel's and not the timers' creation order.
    if (kernel.ready.length > 0 && !kernel.eventsDueNow()) {
      kernel.deliverNext();
      continue;
    }
    if (globals.immediatesPending) continue;
    if (kernel.ready.length === 0 && clock.countTimers() <= 1) {
      return { ending: deadlock(kernel, findAnyCycle(kernel.actors)), steps: kernel.steps };
    }
    kernel.firedKernelTimer = false;
    try {
      clock.next();
    } catch (error) {
      // An exception thrown by an agent's timer callback: in Node it would be uncaught.
      return { ending: { outcome: 'threw', error, fromTimer: true }, steps: kernel.steps };
    }
    // A kernel timer only moves an event to the ready set; no agent code ran, nothing to drain.
    needDrain = !kernel.firedKernelTimer;
  }
}
