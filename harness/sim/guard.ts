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

/**
 * The loop's side of the guard. A class rather than an object literal with a getter: a literal's
 * accessor gives every object its own hidden class, allocated in V8's old space, and that kept each
 * run's whole object graph alive through the young-generation collections (~25% of a short run's
 * time went to copying and promoting it).
 */
class Control implements LoopControl {
  over = false;
  private actor: string;
  private described: string;

  constructor(
    private readonly kernel: Kernel,
    main: Actor,
  ) {
    this.actor = main.name;
    this.described = this.place(this.actor);
  }

  /** The actor whose code runs now (named in a stop). */
  get actorName(): string {
    return this.actor;
  }

  private place(actor: string): string {
    const { kernel } = this;
    return `${kernel.scenario === undefined ? '' : `scenario "${kernel.scenario}", `}seed ${kernel.rng.seed}, actor "${actor}"`;
  }

  beat(next: Actor | undefined): void {
    if (next !== undefined && next.name !== this.actor) {
      this.actor = next.name;
      this.described = this.place(this.actor);
    }
    watchdog.beat(this.described);
  }

  abandoned<T>(): LoopResult<T> {
    return { ending: { outcome: 'timeout', limit: 'wallClock' }, steps: this.kernel.steps };
  }
}

/** Runs `body` (the loop) under the watchdog and resolves with its result, or with the watchdog's. */
export function guarded<T>(kernel: Kernel, main: Actor, body: (control: LoopControl) => Promise<LoopResult<T>>): Promise<LoopResult<T>> {
  const { globals, limits } = kernel;
  const control = new Control(kernel, main);
  return new Promise<LoopResult<T>>((resolve, reject) => {
    const generation = watchdog.arm(realEpochMs() + limits.wallClockMs, GRACE_MS, () => {
      watchdog.disarm(generation);
      if (control.over) return;
      control.over = true;
      globals.dead = true;
      resolve({ ending: { outcome: 'timeout', limit: 'wallClock', stuck: { actor: control.actorName } }, steps: kernel.steps });
    });
    globals.watchGeneration = generation;
    body(control).then(
      (result) => {
        watchdog.disarm(generation);
        if (control.over) return;
        control.over = true;
        resolve(result);
      },
      (error: unknown) => {
        watchdog.disarm(generation);
        if (control.over) return;
        control.over = true;
        reject(error);
      },
    );
  });
}
