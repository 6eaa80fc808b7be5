// Blocking on other actors: the kernel's primitive under locks, mailboxes, channels and joins. A
// blocked actor has a wait with holders (the actors that can end it), which is an edge in the
// wait-for graph; a new edge that closes a cycle of waits without timeouts ends the run as a
// deadlock at once, naming the cycle, even while unrelated timers are still pending.
import type { Actor } from './actors.ts';
import { FaultlineError } from './errors.ts';
import type { Kernel, KernelEvent } from './kernel.ts';
import type { SpanKind, TraceData } from './trace.ts';

export interface BlockSpec {
  readonly kind: SpanKind;
  /** The yield-point name: `lock:ledger`, `mailbox:planner`, `actor:executor`. */
  readonly target: string;
  /** What is awaited, as it reads after "waits for": `lock "ledger"`, `a reply from planner`. */
  readonly what: string;
  /** The actors that can end the wait (the lock's holder, the awaited sender, the joined actor). */
  readonly holders?: () => readonly Actor[];
  /** Give up after this many virtual milliseconds, failing with a WaitTimeoutError. */
  readonly timeoutMs?: number | undefined;
  readonly data?: TraceData;
}

export interface Blocked<T> {
  readonly promise: Promise<T>;
  /** Ends the wait with a value, delivered at the next scheduling point. */
  wake(value: T): void;
  /** True once woken, timed out or failed: a primitive must not wake it twice. */
  readonly done: boolean;
}

/** A wait with a timeout (a lock, a message, a join) that gave up: an outcome agents handle. */
export class WaitTimeoutError extends FaultlineError {
  constructor(what: string, timeoutMs: number, where: { actor: string; virtualTimeMs: number }) {
    super('WAIT_TIMEOUT', { what: `Timed out after ${timeoutMs}ms waiting for ${what}`, where });
    this.name = 'WaitTimeoutError';
  }
}

export function isWaitTimeoutError(error: unknown): error is WaitTimeoutError {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'WAIT_TIMEOUT';
}

export function block<T>(kernel: Kernel, actor: Actor, spec: BlockSpec): Blocked<T> {
  kernel.assertLive(actor, spec.what);
  // `done` is a plain field of the object returned (not a getter over a local): an accessor made per
  // wait would give each its own hidden class in V8's old space, keeping the run's objects alive
  // through young-generation collections.
  const state = { done: false };
  const holders = spec.holders;
  const wait = kernel.beginWait(actor, {
    ...spec,
    // Once woken, the wait is as good as over (its wake-up is only waiting for its turn): it is no
    // longer an edge of the wait-for graph, or a message already sent would look like a deadlock.
    ...(holders === undefined ? {} : { holders: () => (state.done ? [] : holders()) }),
    timesOut: spec.timeoutMs !== undefined,
  });
  let timer: KernelEvent | undefined;
  let settle!: { resolve: (v: T) => void; reject: (e: unknown) => void };
  const promise = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const end = (outcome: 'ok' | 'timeout'): void => kernel.endWait(actor, wait, outcome);
  if (spec.timeoutMs !== undefined) {
    const timeoutMs = spec.timeoutMs;
    timer = kernel.schedule(timeoutMs, actor, () => {
      if (state.done) return;
      state.done = true;
      end('timeout');
      settle.reject(new WaitTimeoutError(spec.what, timeoutMs, { actor: actor.name, virtualTimeMs: kernel.now() }));
    });
  }
  kernel.checkDeadlock(actor);
  return Object.assign(state, {
    promise,
    wake(value: T) {
      if (state.done) return;
      state.done = true;
      if (timer !== undefined) kernel.cancel(timer);
      // The wake-up is itself a scheduling point, so strategies decide who runs first after it.
      kernel.schedule(0, actor, () => {
        end('ok');
        settle.resolve(value);
      });
    },
  });
}
