// A module that is imported when a run needs it rather than when Faultline is: `load()` in an async
// step before the run starts, then `get()` from the run's synchronous code, which finds it loaded.
// Loading never happens inside a run: a module's first evaluation may call Math.random or Date
// (a faker seeds itself from Math.random), which during a run are the run's seeded globals, so the
// first run of a process would see different draws from the next, and its import would be real
// work the kernel does not schedule. A `get()` before `load()` is a Faultline bug, reported as one.
import { FaultlineError } from './errors.ts';

export interface LazyModule<T> {
  /** True once `load()` has resolved. */
  readonly loaded: boolean;
  /** Imports the module (once; later calls return the same promise). */
  load(): Promise<T>;
  /** The loaded module. @throws FaultlineError HARNESS_BUG when `load()` has not resolved. */
  get(): T;
}

/** A module loaded on first `load()`; `what` names it in the error a premature `get()` raises. */
export function lazyModule<T>(what: string, importer: () => Promise<T>): LazyModule<T> {
  let pending: Promise<T> | undefined;
  let module: { readonly value: T } | undefined;
  return {
    get loaded() {
      return module !== undefined;
    },
    load() {
      pending ??= importer().then(
        (value) => {
          module = { value };
          return value;
        },
        (error: unknown) => {
          // A failed import (a missing optional package) may succeed once it is installed.
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
    get() {
      if (module === undefined) {
        throw new FaultlineError('HARNESS_BUG', {
          what: `${what} was used before it was loaded`,
          todo: 'Faultline loads it before the code that needs it runs (harness/onDemand.ts); please report this, with the options or the scenario file that led here',
        });
      }
      return module.value;
    },
  };
}
