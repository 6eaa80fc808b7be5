// The run's virtual clock on the global object: setTimeout, clearTimeout, setInterval,
// clearInterval, Date, process.hrtime and node:timers/promises' setTimeout and setInterval.
//
// fake-timers' clock (createClock) keeps the time and the timers; installing it with
// `FakeTimers.install` for every run cost ~90 µs (a new clock, Date class and Intl mirror, and a
// wrapper per global with its descriptors copied), more than a short run's own work. Instead the
// functions put on the globals are made once, when this module loads, and forward to the clock of
// the run holding the globals (or to the originals when none does); a run only swaps them onto the
// global object and takes the process's one clock, reset to its start time (~3 µs). A clock whose
// run the watchdog stopped may have been cut off half-way through a tick, so it is never reused.
import timersPromises from 'node:timers/promises';
import { promisify } from 'node:util';
import FakeTimers, { type Clock } from '@sinonjs/fake-timers';

// Building fake-timers' context is costly (it prepares a fake Date class), so it is done once.
const fakeTimers = FakeTimers.withGlobal(globalThis);

/** fake-timers numbers its timers from 1e12 up (its idCounterStart); Node's own ids are far below. */
const FIRST_FAKE_TIMER_ID = 1e12;

const NativeDate = Date;
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;
const realHrtime = process.hrtime;
const realPromiseSetTimeout = timersPromises.setTimeout;
const realPromiseSetInterval = timersPromises.setInterval;

/** The run holding the globals now (its clock), or undefined between runs. */
export type CurrentClock = () => { readonly clock: Clock } | undefined;

// biome-ignore lint/suspicious/noExplicitAny: timer callbacks take anything.
type Callback = (...args: any[]) => void;

/** Node's AbortError, as node:timers/promises rejects with it (name AbortError, code ABORT_ERR, the signal's reason as cause). */
class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(cause: unknown) {
    super('The operation was aborted', { cause });
    this.name = 'AbortError';
  }
}

/** True when `handle` (a timer object or its number) is one of fake-timers' timers rather than Node's. */
function isVirtualTimer(handle: unknown): boolean {
  return (typeof handle === 'number' || (typeof handle === 'object' && handle !== null)) && Number(handle) >= FIRST_FAKE_TIMER_ID;
}

/**
 * The globals a run's virtual clock lives behind, made once for the process. Each function reads
 * `current()` when called: during a run it acts on that run's clock; with no run (a reference kept
 * past its run) it is the original.
 */
export function virtualTimers(current: CurrentClock) {
  // A timer callback runs only in the run that set it: a handle kept past its run and refresh()ed
  // in a later one must not call into the dead run's code.
  // (The clock itself is reused from run to run, so the run is what is compared.)
  const bound = (fn: unknown): unknown => {
    if (typeof fn !== 'function') return fn;
    const run = current();
    return (...args: unknown[]) => {
      if (current() === run) (fn as Callback)(...args);
    };
  };
  const setTimeout = function setTimeout(fn: unknown, ms?: number, ...args: unknown[]) {
    const clock = current()?.clock;
    if (clock === undefined) return (realSetTimeout as Callback)(fn, ms, ...args);
    return clock.setTimeout(bound(fn) as Callback, ms, ...args);
  };
  Object.defineProperty(setTimeout, promisify.custom, {
    value: (ms?: number, value?: unknown) => promiseSetTimeout(ms, value),
    enumerable: false,
  });
  const setInterval = function setInterval(fn: unknown, ms?: number, ...args: unknown[]) {
    const clock = current()?.clock;
    if (clock === undefined) return (realSetInterval as Callback)(fn, ms, ...args);
    return clock.setInterval(bound(fn) as Callback, ms, ...args);
  };
  const clear = (real: Callback, virtual: 'clearTimeout' | 'clearInterval') => (handle?: unknown) => {
    const clock = current()?.clock;
    if (clock !== undefined && isVirtualTimer(handle)) return clock[virtual](handle as number);
    return real(handle);
  };
  const clearTimeout = clear(realClearTimeout as Callback, 'clearTimeout');
  Object.defineProperty(clearTimeout, 'name', { value: 'clearTimeout' });
  const clearInterval = clear(realClearInterval as Callback, 'clearInterval');
  Object.defineProperty(clearInterval, 'name', { value: 'clearInterval' });

  const hrtime = function hrtime(previous?: [number, number]): [number, number] {
    const clock = current()?.clock;
    return clock === undefined ? realHrtime(previous) : (clock.hrtime(previous) as [number, number]);
  };
  hrtime.bigint = function bigint(): bigint {
    const clock = current()?.clock;
    return clock === undefined ? realHrtime.bigint() : (clock.hrtime as unknown as { bigint(): bigint }).bigint();
  };

  const now = (): number => current()?.clock.now ?? NativeDate.now(); // allowed: real time only with no run (a Date class kept past its run)
  // The Date class of a run, as fake-timers builds it: a Date made without arguments and its static
  // now read the virtual clock, every other form is the real Date's, instances are real Dates
  // (instanceof, constructor), and Date() called without new gives the virtual now as a string.
  class VirtualDate extends NativeDate {
    static isFake = true;
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [number]));
      Object.defineProperty(this, 'constructor', { value: NativeDate, enumerable: false });
    }
    static override now(): number {
      return now();
    }
    static override toString(): string {
      return NativeDate.toString();
    }
    static override [Symbol.hasInstance](instance: unknown): boolean {
      return instance instanceof NativeDate;
    }
  }
  const virtualDate = new Proxy(VirtualDate, { apply: () => new NativeDate(now()).toString() }) as unknown as DateConstructor;

  /** node:timers/promises' setTimeout on the virtual clock: resolves with `value` after `ms`, rejects with AbortError when the signal aborts. */
  function promiseSetTimeout<T>(ms?: number, value?: T, options: { signal?: AbortSignal; ref?: boolean } = {}): Promise<T> {
    const clock = current()?.clock;
    if (clock === undefined) return realPromiseSetTimeout(ms, value, options);
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        clock.clearTimeout(handle);
        reject(new AbortError(signal?.reason));
      };
      const handle = clock.setTimeout(
        bound(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as T);
        }) as Callback,
        ms,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** node:timers/promises' setInterval on the virtual clock: an async iterator yielding `value` once per tick (ticks missed while the consumer was busy are yielded in a row, as Node does). */
  function promiseSetInterval<T>(ms?: number, value?: T, options: { signal?: AbortSignal; ref?: boolean } = {}): AsyncIterableIterator<T> {
    const clock = current()?.clock;
    if (clock === undefined) return realPromiseSetInterval(ms, value, options);
    const signal = options?.signal;
    return (async function* ticks(): AsyncGenerator<T> {
      if (signal?.aborted) throw new AbortError(signal.reason);
      let pending = 0;
      let wake: (() => void) | undefined;
      const handle = clock.setInterval(
        bound(() => {
          pending++;
          wake?.();
          wake = undefined;
        }) as Callback,
        ms,
      );
      const onAbort = (): void => {
        wake?.();
        wake = undefined;
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const aborted = (): boolean => signal?.aborted === true;
      try {
        while (!aborted()) {
          if (pending === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
          for (; pending > 0 && !aborted(); pending--) yield value as T;
        }
        throw new AbortError(signal?.reason);
      } finally {
        clock.clearInterval(handle);
        signal?.removeEventListener('abort', onAbort);
      }
    })();
  }

  return {
    /** What goes on the global object during a run. */
    globals: { setTimeout, clearTimeout, setInterval, clearInterval, Date: virtualDate },
    /** What goes on process during a run. */
    hrtime,
    promiseSetTimeout,
    promiseSetInterval,
  };
}

/** The functions `virtualTimers` makes, for the builtin bridge (virtualClockExtras.ts, timersTarget). */
export type VirtualTimers = ReturnType<typeof virtualTimers>;

/** The process's clock between runs, reset and handed to the next run (never one the watchdog cut off). */
let spare: Clock | undefined;

/** A virtual clock at `startTime` (epoch ms) with no timers: the spare one reset, or a new one. */
export function takeClock(startTime: number): Clock {
  const clock = spare;
  if (clock === undefined) return fakeTimers.createClock(startTime);
  spare = undefined;
  clock.reset();
  clock.setSystemTime(startTime);
  return clock;
}

/** Gives a run's clock back for the next run; `reusable` is false when its run was stopped mid-step. */
export function giveBackClock(clock: Clock, reusable: boolean): void {
  if (reusable) spare = clock;
}
