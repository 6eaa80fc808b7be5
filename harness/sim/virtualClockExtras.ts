// The clocks fake-timers does not reach, made virtual for a run: timers imported by name (through
// the builtin bridge), node:timers/promises, process.uptime, os.uptime, the event loop's
// utilisation, and Intl.DateTimeFormat's format() without a date (which reads the real clock).
import { performance as perfHooksPerformance } from 'node:perf_hooks';
import type { Clock } from '@sinonjs/fake-timers';
import { type BridgeTarget, originalOf } from './builtinBridge.ts';
import { patchProperty } from './patch.ts';
import type { VirtualTimers } from './virtualTimers.ts';

/** Seconds the simulated host has been up when a run starts (os.uptime); any fixed value would do. */
const HOST_UPTIME_S = 86_400;

/** A promise-returning setImmediate on the run's setImmediate, with node:timers/promises' signature. */
function immediatePromise(setImmediate: typeof globalThis.setImmediate, clearImmediate: typeof globalThis.clearImmediate) {
  return <T>(value?: T, options: { signal?: AbortSignal } = {}): Promise<T | undefined> =>
    new Promise((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearImmediate(handle);
        reject(signal?.reason);
      };
      const handle = setImmediate(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
}

/**
 * The bridge entries for timers during a run: the virtual clock's timers, and the session's counted
 * setImmediate (the one on the global object while the session is open). Built once per session.
 */
export function timersTarget(timers: VirtualTimers): BridgeTarget {
  const g = globalThis;
  return {
    'timers.setTimeout': timers.globals.setTimeout,
    'timers.clearTimeout': timers.globals.clearTimeout,
    'timers.setInterval': timers.globals.setInterval,
    'timers.clearInterval': timers.globals.clearInterval,
    'timers.setImmediate': g.setImmediate,
    'timers.clearImmediate': g.clearImmediate,
    'timersPromises.setTimeout': timers.promiseSetTimeout,
    'timersPromises.setInterval': timers.promiseSetInterval,
    'timersPromises.setImmediate': immediatePromise(g.setImmediate, g.clearImmediate),
  };
}

/** What the clock extras read of the run holding the globals. */
export interface ClockView {
  readonly clock: Clock;
  /** Epoch milliseconds the run's virtual clock started at. */
  readonly startTime: number;
}

/**
 * Patches what fake-timers leaves real, for a globals session: each patched function asks `current`
 * for the run holding the globals and behaves as the original when none does. (node:timers and
 * node:timers/promises need no patch: their exports are bridge forwarders, see timersTarget.)
 */
export function installClockExtras(current: () => ClockView | undefined): Array<() => void> {
  const undo: Array<() => void> = [];
  const realUptime = process.uptime;
  undo.push(
    patchProperty(process, 'uptime', function (this: unknown) {
      const run = current();
      return run === undefined ? realUptime.call(process) : (run.clock.now - run.startTime) / 1000;
    }),
  );
  // The event loop is as busy as the virtual clock says: never (agent code takes no virtual time).
  const realUtilization = perfHooksPerformance.eventLoopUtilization;
  const eventLoopUtilization = (...args: unknown[]): unknown => {
    const run = current();
    if (run === undefined) return (realUtilization as (...a: unknown[]) => unknown).apply(perfHooksPerformance, args);
    const elapsedMs = run.clock.now - run.startTime;
    return { idle: elapsedMs, active: 0, utilization: 0 };
  };
  undo.push(patchProperty(perfHooksPerformance, 'eventLoopUtilization', eventLoopUtilization));
  undo.push(...virtualPerformance(current, eventLoopUtilization));
  undo.push(...virtualDateTimeFormat(current));
  return undo;
}

/**
 * The performance object during a run: now() and timeOrigin on the virtual clock, marks and
 * measures stamped in virtual time, the real timeline's entries and Node's own timings hidden (they
 * hold real times). The object itself stays the real one (instanceof Performance, timerify, the
 * buffer methods). Patched as own properties of the one performance object perf_hooks and the
 * global share, once per globals session, instead of a fake object per run.
 */
function virtualPerformance(current: () => ClockView | undefined, eventLoopUtilization: (...args: unknown[]) => unknown): Array<() => void> {
  const perf = perfHooksPerformance as unknown as Record<string, (...args: unknown[]) => unknown>;
  const proto = Object.getPrototypeOf(perfHooksPerformance) as object;
  const real = (name: string) => perf[name] as (...args: unknown[]) => unknown;
  /** Virtual milliseconds since the run started (fake-timers' clock.performance.now: hrtime since its start). */
  const nowOf = (run: ClockView): number => (run.clock as unknown as { performance: { now(): number } }).performance.now();
  const during = (name: string, fake: (run: ClockView, args: unknown[]) => unknown): (() => void) => {
    const original = real(name);
    return patchProperty(perf, name, function (this: unknown, ...args: unknown[]) {
      const run = current();
      return run === undefined ? original.apply(this, args) : fake(run, args);
    });
  };
  const entry = (name: unknown, entryType: string, startTime: number, duration: number, detail: unknown) => ({
    name: String(name),
    entryType,
    startTime,
    duration,
    detail: detail ?? null,
    toJSON() {
      return { name: String(name), entryType, startTime, duration, detail: detail ?? null };
    },
  });
  const accessor = (name: string, fake: (run: ClockView) => unknown): (() => void) => {
    const get = Object.getOwnPropertyDescriptor(proto, name)?.get;
    if (get === undefined) return () => undefined;
    return patchAccessor(perf, name, function (this: unknown) {
      const run = current();
      return run === undefined ? get.call(this) : fake(run);
    });
  };
  return [
    during('now', (run) => nowOf(run)),
    during('mark', (run, [name, options]) => {
      const o = options as { startTime?: number; detail?: unknown } | undefined;
      return entry(name, 'mark', o?.startTime ?? nowOf(run), 0, o?.detail);
    }),
    during('measure', (run, [name, start]) => {
      const o = typeof start === 'object' && start !== null ? (start as { start?: number; end?: number; detail?: unknown }) : undefined;
      const from = typeof o?.start === 'number' ? o.start : 0;
      const to = typeof o?.end === 'number' ? o.end : nowOf(run);
      return entry(name, 'measure', from, to - from, o?.detail);
    }),
    during('getEntries', () => []),
    during('getEntriesByName', () => []),
    during('getEntriesByType', () => []),
    during('toJSON', (run) => ({ timeOrigin: run.startTime, eventLoopUtilization: eventLoopUtilization() })),
    accessor('timeOrigin', (run) => run.startTime),
    accessor('nodeTiming', (run) => {
      const elapsedMs = nowOf(run);
      return {
        name: 'node',
        entryType: 'node',
        startTime: 0,
        duration: elapsedMs,
        nodeStart: 0,
        v8Start: 0,
        environment: 0,
        bootstrapComplete: 0,
        loopStart: 0,
        loopExit: -1,
        idleTime: elapsedMs,
      };
    }),
  ];
}

/** The os.uptime of a run: the host was up HOST_UPTIME_S seconds when the run started. */
export function virtualOsUptime(current: () => ClockView | undefined): () => number {
  return () => {
    const run = current();
    return run === undefined ? (originalOf('os.uptime')() as number) : HOST_UPTIME_S + Math.floor((run.clock.now - run.startTime) / 1000);
  };
}

/** format() and formatToParts() without a date format the virtual now, on every formatter, during a run. */
function virtualDateTimeFormat(current: () => ClockView | undefined): Array<() => void> {
  const proto = Intl.DateTimeFormat.prototype;
  const formatGetter = Object.getOwnPropertyDescriptor(proto, 'format')?.get;
  const formatToParts = proto.formatToParts;
  if (formatGetter === undefined) return [];
  const dateOr = (date: Date | number | undefined): Date | number | undefined => (date !== undefined ? date : current()?.clock.now);
  return [
    patchAccessor(proto, 'format', function (this: Intl.DateTimeFormat) {
      const format = formatGetter.call(this) as (date?: Date | number) => string;
      if (current() === undefined) return format;
      return (date?: Date | number) => format(dateOr(date));
    }),
    patchProperty(proto, 'formatToParts', function (this: Intl.DateTimeFormat, date?: Date | number) {
      return formatToParts.call(this, dateOr(date));
    }),
  ];
}

function patchAccessor(target: object, key: string, get: () => unknown): () => void {
  const original = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { get, configurable: true, enumerable: original?.enumerable ?? false });
  return () => {
    if (original === undefined) delete (target as Record<string, unknown>)[key];
    else Object.defineProperty(target, key, original);
  };
}
