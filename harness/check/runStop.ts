// A request to start no more runs, shared with the worker threads of a pool: a soak sets it at its
// deadline, and each worker reads it before every case, so no run starts after the deadline in any
// thread. It is plain data (a shared flag and an optional real deadline) because a task reaches a
// worker by structured clone; the real deadline lets a worker stop on time by its own clock, even
// before the calling thread has noticed that the time is up.
import { realEpochMs } from '../sim/watchdog.ts';

export interface RunStop {
  /** One Int32: 0 while runs may start, 1 once they may not. */
  readonly flag: SharedArrayBuffer;
  /** Real epoch milliseconds (Date.now outside any run) from which no run may start, when the deadline is in real time. */
  readonly atEpochMs?: number;
}

/** A stop not yet requested; with `atEpochMs`, one that requests itself at that real time. */
export function runStop(atEpochMs?: number): RunStop {
  return { flag: new SharedArrayBuffer(4), ...(atEpochMs === undefined ? {} : { atEpochMs }) };
}

/** Asks every thread sharing `stop` to start no more runs. */
export function requestStop(stop: RunStop): void {
  Atomics.store(new Int32Array(stop.flag), 0, 1);
}

/** True once `stop` (or any of `stops`) was requested or its real deadline has come; false for none. */
export function stopRequested(stop: RunStop | readonly RunStop[] | undefined): boolean {
  if (stop === undefined) return false;
  if (Array.isArray(stop)) return stop.some((s) => stopRequested(s));
  const one = stop as RunStop;
  if (Atomics.load(new Int32Array(one.flag), 0) !== 0) return true;
  return one.atEpochMs !== undefined && realEpochMs() >= one.atEpochMs;
}
