// The real work Node does not list among its active requests and handles (thread-pool jobs and
// worker threads), reported to the run's RealWork by wrapping what starts it: node:crypto's
// callback functions, Web Crypto's methods, zlib's buffer functions, and the Worker class.
import type { Worker } from 'node:worker_threads';
import { type BridgedName, type BridgeTarget, originalOf } from './builtinBridge.ts';
import { patchProperty } from './patch.ts';
import type { RealWork } from './realWork.ts';

/** Bridged functions whose last argument is a completion callback. */
const CALLBACK_LAST: readonly BridgedName[] = [
  'crypto.pbkdf2',
  'crypto.scrypt',
  'crypto.hkdf',
  'crypto.checkPrime',
  'zlib.gzip',
  'zlib.gunzip',
  'zlib.deflate',
  'zlib.inflate',
  'zlib.deflateRaw',
  'zlib.inflateRaw',
  'zlib.unzip',
  'zlib.brotliCompress',
  'zlib.brotliDecompress',
];

const SUBTLE_METHODS = [
  'encrypt',
  'decrypt',
  'sign',
  'verify',
  'digest',
  'generateKey',
  'deriveKey',
  'deriveBits',
  'importKey',
  'exportKey',
  'wrapKey',
  'unwrapKey',
];

// biome-ignore lint/suspicious/noExplicitAny: wrapped functions take anything.
type AnyFunction = (this: unknown, ...args: any[]) => any;

/** The run's real work, or undefined while no run holds the globals. */
export type CurrentWork = () => RealWork | undefined;

/** `fn` reporting each call made during a run as that run's real work until its callback is called. */
export function trackCallback(current: CurrentWork, label: string, fn: AnyFunction): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    const callback = args[args.length - 1];
    const work = current();
    if (typeof callback !== 'function' || work === undefined) return fn.apply(this, args);
    const end = work.track(label);
    args[args.length - 1] = function (this: unknown, ...results: unknown[]) {
      end();
      return (callback as AnyFunction).apply(this, results);
    };
    try {
      return fn.apply(this, args);
    } catch (error) {
      end();
      throw error;
    }
  };
}

/** The bridge entries that track thread-pool jobs; `over` supplies run versions to wrap instead of the originals. */
export function trackedWorkTarget(work: CurrentWork, over: BridgeTarget): BridgeTarget {
  const out: BridgeTarget = {};
  for (const name of [...CALLBACK_LAST, 'crypto.generateKeyPair', 'crypto.generateKey', 'crypto.generatePrime', 'crypto.randomFill'] as BridgedName[]) {
    out[name] = trackCallback(work, name, over[name] ?? originalOf(name));
  }
  return out;
}

/** Tracks every Web Crypto call made during a run until its promise settles; returns the undo functions. */
export function trackSubtle(current: CurrentWork): Array<() => void> {
  const proto = Object.getPrototypeOf(globalThis.crypto.subtle) as Record<string, AnyFunction>;
  return SUBTLE_METHODS.filter((m) => typeof proto[m] === 'function').map((method) => {
    const original = proto[method] as AnyFunction;
    return patchProperty(proto, method, function (this: unknown, ...args: unknown[]) {
      const work = current();
      if (work === undefined) return original.apply(this, args);
      const end = work.track(`crypto.subtle.${method}`);
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (error) {
        end();
        throw error;
      }
      if (result instanceof Promise) result.then(end, end);
      else end();
      return result;
    });
  });
}

/**
 * What a run does with a worker thread made during it: the thread is real work while it runs and
 * is ref'd (`worker.unref()` says "do not wait for me"), and is terminated if still running when
 * the run ends.
 */
export function observeWorker(work: RealWork): (worker: Worker) => void {
  return (worker) => {
    let end: (() => void) | undefined = work.track('a worker thread');
    const release = work.own({ label: 'a worker thread', stop: () => void worker.terminate() });
    const ref = worker.ref.bind(worker);
    const unref = worker.unref.bind(worker);
    worker.ref = () => {
      end ??= work.track('a worker thread');
      ref();
    };
    worker.unref = () => {
      end?.();
      end = undefined;
      unref();
    };
    worker.once('exit', () => {
      end?.();
      end = undefined;
      release();
    });
  };
}
