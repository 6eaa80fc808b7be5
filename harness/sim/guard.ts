// The run loop under the watchdog (watchdog.ts): armed for the run's wall-clock limit while the
// loop runs, told at every step which actor's code is about to run, and, if it has to stop agent
// code that never yields, ending the loop from a fresh macrotask with outcome `timeout`. The
// stopped loop itself is abandoned: its frame may wait forever on a microtask V8 dropped, and if it
// ever resumes it sees `over` and returns at once.
import type { Actor } from './actors.ts';
import type { Kernel } from './kernel.ts';
import type { LoopResult } from './runLoop.ts';
import { realEpochMs, watchdog } from './watchdog.ts';

/** How long the loop may stay silent past its wall-clock deadline before the watchdog acts (real ms). */
export const GRACE_MS = 1_000;

export interface LoopControl {
  /** True once the loop's result is decided elsewhere (the watchdog stopped its agent code). */
  readonly over: boolean;
  /** A sign of life before agent code runs, naming its actor (undefined: a timer callback, whoever set it). */
  beat(actor: Actor | undefined): void;
  /** What an abandoned loop returns (nobody reads it). */
  abandoned<T>(): LoopResult<T>;
}

/** Runs `body` (the loop) under the watchdog and resolves with its result, or with the watchdog's. */
export function guarded<T>(kernel: Kernel, main: Actor, body: (control: LoopControl) => Promise<LoopResult<T>>): Promise<LoopResult<T>> {
  const { globals, limits } = kernel;
  const seed = kernel.rng.seed;
  const place = (actor: string) => `${kernel.scenario === undefined ? '' : `scenario "${kernel.scenario}", `}seed ${seed}, actor "${actor}"`;
  let actor = main.name;
  let described = place(actor);
  return new Promise<LoopResult<T>>((resolve, reject) => {
    let over = false;
    const generation = watchdog.arm(realEpochMs() + limits.wallClockMs, GRACE_MS, () => {
      watchdog.disarm(generation);
      if (over) return;
      over = true;
      globals.dead = true;
      resolve({ ending: { outcome: 'timeout', limit: 'wallClock', stuck: { actor } }, steps: kernel.steps });
    });
    globals.watchGeneration = generation;
    const control: LoopControl = {
      get over() {
        return over;
      },
      beat(next) {
        if (next !== undefined && next.name !== actor) {
          actor = next.name;
          described = place(actor);
        }
        watchdog.beat(described);
      },
      abandoned: () => ({ ending: { outcome: 'timeout', limit: 'wallClock' }, steps: kernel.steps }),
    };
    body(control).then(
      (result) => {
        watchdog.disarm(generation);
        if (over) return;
        over = true;
        resolve(result);
      },
      (error: unknown) => {
        watchdog.disarm(generation);
        if (over) return;
        over = true;
        reject(error);
      },
    );
  });
}
