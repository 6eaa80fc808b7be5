// Replacing a property for the length of a run and putting back exactly what was there, including
// its descriptor (getters, enumerability), or deleting it if it was not an own property.
//
// A property that cannot be replaced (frozen object, non-configurable and read-only property) is
// refused with an error that names it, before anything is patched. A function put in place is a
// forwarder that stops forwarding at undo: if agent code froze the object during the run so that
// the original cannot be put back, the leftover behaves as the original did.
import { FaultlineError } from './errors.ts';

const WELL_KNOWN: ReadonlyArray<readonly [object, string]> = [
  [globalThis, 'globalThis'],
  [Math, 'Math'],
  [process, 'process'],
  [globalThis.crypto, 'crypto'],
  [AbortSignal, 'AbortSignal'],
  [Intl.DateTimeFormat.prototype, 'Intl.DateTimeFormat.prototype'],
];

/** A readable name for a patched object: `Math`, `globalThis`, or its class's prototype. */
export function nameOf(target: object): string {
  const known = WELL_KNOWN.find(([o]) => o === target)?.[1];
  if (known !== undefined) return known;
  const ctor = (target as { constructor?: { name?: string; prototype?: unknown } }).constructor;
  if (ctor?.prototype === target) return `${ctor.name}.prototype`;
  return ctor?.name ? `a ${ctor.name}` : 'an object';
}

/** Thrown when a global a run must take over cannot be replaced. */
export function unpatchable(target: object, key: PropertyKey, why: string): FaultlineError {
  const name = `${nameOf(target)}.${String(key)}`;
  return new FaultlineError('GLOBALS_UNAVAILABLE', {
    what: `Faultline cannot take over ${name} for the run: ${why}`,
    todo:
      `A simulated run replaces ${name} while it runs and puts it back afterwards. Freeze or lock it ` +
      `(Object.freeze, configurable: false) only after your simulation tests, or leave it configurable`,
  });
}

/** Objects with at least one property patched now, with how many. */
const patched = new Map<object, number>();

/** True while some property of `target` is patched (so freezing it now would break its restore). */
export function isPatched(target: object): boolean {
  return patched.has(target);
}

function hold(target: object): () => void {
  patched.set(target, (patched.get(target) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (patched.get(target) ?? 1) - 1;
    if (n === 0) patched.delete(target);
    else patched.set(target, n);
  };
}

/** Replaces `target[key]` with `value` and returns the function that undoes it. */
export function patchProperty(target: object, key: PropertyKey, value: unknown): () => void {
  const undo = replace(target, key, value);
  const release = hold(target);
  return () => {
    release();
    undo();
  };
}

/**
 * Puts each `value` on its `target[key]` as it is (no forwarder: each value must itself behave as
 * the original when no run holds the globals, see virtualTimers.ts), and returns the function that
 * puts every original back. All or nothing: if one cannot be replaced, none is.
 */
export function swapProperties(entries: ReadonlyArray<readonly [object, PropertyKey, unknown]>): () => void {
  const undo: Array<() => void> = [];
  const all = (): void => {
    let failure: unknown;
    for (let i = undo.length - 1; i >= 0; i--) {
      try {
        (undo[i] as () => void)();
      } catch (error) {
        failure ??= error;
      }
    }
    undo.length = 0;
    if (failure !== undefined) throw failure;
  };
  try {
    for (const [target, key, value] of entries) {
      const put = replace(target, key, value, false);
      const release = hold(target);
      undo.push(() => {
        release();
        put();
      });
    }
  } catch (error) {
    all();
    throw error;
  }
  return all;
}

function replace(target: object, key: PropertyKey, value: unknown, wrap = true): () => void {
  const original = Object.getOwnPropertyDescriptor(target, key);
  const installed = wrap && typeof value === 'function' ? forwarder(target, key, value as Callable, original) : undefined;
  const put = installed?.fn ?? value;
  if (original !== undefined && original.configurable === false) {
    // Non-configurable: it can still be assigned if it is a writable data property.
    if (original.writable !== true) throw unpatchable(target, key, 'the property is read-only and not configurable');
    (target as Record<PropertyKey, unknown>)[key] = put;
    return () => {
      installed?.retire();
      (target as Record<PropertyKey, unknown>)[key] = original.value;
    };
  }
  if (original === undefined && !Object.isExtensible(target)) throw unpatchable(target, key, `${nameOf(target)} is frozen or sealed`);
  Object.defineProperty(target, key, { value: put, writable: true, configurable: true, enumerable: original?.enumerable ?? false });
  return () => {
    installed?.retire();
    if (original === undefined) {
      if (!Reflect.deleteProperty(target, key)) throw unpatchable(target, key, 'agent code froze it during the run');
    } else if (!Reflect.defineProperty(target, key, original)) {
      // Made non-configurable during the run: a writable value can still be put back by assignment.
      const now = Object.getOwnPropertyDescriptor(target, key);
      if (now?.writable !== true || !Reflect.set(target, key, original.value)) throw unpatchable(target, key, 'agent code froze it during the run');
    }
  };
}

// biome-ignore lint/suspicious/noExplicitAny: a forwarder forwards anything.
type Callable = (this: unknown, ...args: any[]) => any;

/**
 * A function that calls `value` until retired, then what the property held before (or, when it was
 * inherited, what the prototype holds). Own properties of `value` (util.promisify.custom) are kept.
 */
function forwarder(target: object, key: PropertyKey, value: Callable, original: PropertyDescriptor | undefined): { fn: Callable; retire(): void } {
  let live = true;
  const before = (): Callable | undefined => {
    const held = original === undefined ? Reflect.get(Object.getPrototypeOf(target) ?? {}, key, target) : original.value;
    return typeof held === 'function' ? (held as Callable) : undefined;
  };
  const fn = function (this: unknown, ...args: unknown[]): unknown {
    const call = live ? value : before();
    if (call === undefined) throw new TypeError(`${String(key)} is not a function`);
    return call.apply(this, args);
  };
  for (const property of Reflect.ownKeys(value)) {
    if (property === 'length' || property === 'name' || property === 'prototype') continue;
    const d = Object.getOwnPropertyDescriptor(value, property);
    if (d !== undefined) Object.defineProperty(fn, property, d);
  }
  Object.defineProperty(fn, 'name', { value: value.name });
  return {
    fn,
    retire: () => {
      live = false;
    },
  };
}
