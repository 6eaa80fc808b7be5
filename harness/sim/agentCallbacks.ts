// setImmediate and process.nextTick as agent code sees them during a run. Neither is faked (the
// runtime's streams need them, DESIGN.md rule 2), but both are wrapped:
// - setImmediate callbacks are counted, so the run loop knows when agent code is idle; they and
//   nextTick callbacks run as microtasks of their immediate or tick, so that a callback that never
//   returns can be stopped by the watchdog (V8 stops a microtask cleanly; a stopped immediate, tick
//   or timer callback corrupts Node's async-context stack, which is fatal).
// - Callbacks of either kind that are still queued when their run has ended (or been stopped) are
//   dropped: a setImmediate or nextTick flood must not outlive its run and keep the process busy.
// The wrappers stay installed for a whole globals session (several runs, see runGlobals.ts); a call
// made while no run holds the globals goes straight to Node's own function.
import { patchProperty } from './patch.ts';

const realSetImmediate = globalThis.setImmediate;
const realClearImmediate = globalThis.clearImmediate;
const realNextTick = process.nextTick;

export interface AgentCallbackHooks {
  /** setImmediate handles whose callback has not run yet. */
  readonly live: Set<unknown>;
  /** True once the run has ended or its agent code was stopped. */
  readonly isDead: () => boolean;
}

/** Installs the wrappers, which ask `current` for the run holding the globals; returns the undo functions. */
export function installAgentCallbacks(current: () => AgentCallbackHooks | undefined): Array<() => void> {
  const setImmediate = (fn: (...args: unknown[]) => void, ...args: unknown[]): NodeJS.Immediate => {
    const run = current();
    if (run === undefined) return realSetImmediate(fn, ...args);
    // The run that scheduled the callback owns it: if that run is over when it comes due, it is dropped.
    const { live, isDead } = run;
    const handle = realSetImmediate(() => {
      live.delete(handle);
      if (!isDead()) queueMicrotask(() => fn(...args));
    });
    live.add(handle);
    return handle;
  };
  const clearImmediate = (handle: NodeJS.Immediate | undefined): void => {
    current()?.live.delete(handle);
    realClearImmediate(handle);
  };
  Object.defineProperty(setImmediate, Symbol.for('nodejs.util.promisify.custom'), {
    value: (realSetImmediate as unknown as Record<symbol, unknown>)[Symbol.for('nodejs.util.promisify.custom')],
  });
  // A tick callback runs as a microtask of its tick, like an immediate's: the watchdog may have to
  // stop a nextTick flood, and a stopped tick callback (inside a timer's or an I/O callback's scope)
  // corrupts Node's async-context stack. The order of ticks among themselves, and relative to the
  // promise reactions of the code that queued them, is kept; a tick queued by a tick callback now
  // runs after the promise reactions that callback queued, rather than before them.
  const nextTick = (fn: (...args: unknown[]) => void, ...args: unknown[]): void => {
    const run = current();
    if (run === undefined) {
      realNextTick(fn, ...args);
      return;
    }
    const { isDead } = run;
    realNextTick(() => {
      if (!isDead()) queueMicrotask(() => fn(...args));
    });
  };
  return [
    patchProperty(globalThis, 'setImmediate', setImmediate),
    patchProperty(globalThis, 'clearImmediate', clearImmediate),
    patchProperty(process, 'nextTick', nextTick),
  ];
}

/** Waits for one real turn of the event loop (the kernel's own setImmediate, never faked or counted). */
export function realTurn(): Promise<void> {
  return new Promise<void>((resolve) => realSetImmediate(resolve));
}

/** Waits `ms` real milliseconds without the virtual clock (for polling real work). */
export function realSleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    realSetTimeout(resolve, ms);
  });
}

const realSetTimeout = globalThis.setTimeout;
