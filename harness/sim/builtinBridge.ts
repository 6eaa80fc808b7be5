// Builtins imported by name (`import { setTimeout } from 'node:timers'`, `import { randomUUID }
// from 'node:crypto'`) are bound when the importing module loads, so patching the module object
// during a run does not reach them. Node re-binds them only on `syncBuiltinESMExports()`, which
// copies the *current* CommonJS exports of every builtin into the named bindings: called while a
// run's fakes are installed, it would bind the fakes for good (the named `setTimeout` would stay on
// a dead virtual clock after the run).
//
// So the functions an agent may import by name are bridged once, when this module loads and
// nothing is faked: each becomes a forwarding function that calls the original, unless a run is in
// progress and supplies its own version. One sync makes the named bindings the forwarders; nothing
// ever syncs again. Outside runs a forwarder behaves exactly as the original (same result, same
// `this`, same extra properties such as `util.promisify.custom`).
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import timers from 'node:timers';
import timersPromises from 'node:timers/promises';
import workerThreads from 'node:worker_threads';
import zlib from 'node:zlib';

/** The modules whose functions are bridged, by the name used in keys (`timers.setTimeout`). */
const modules = { crypto, os, timers, timersPromises, zlib } as const;
type ModuleName = keyof typeof modules;

/** Every bridged function, as `module.export`. */
export const BRIDGED = [
  'timers.setTimeout',
  'timers.clearTimeout',
  'timers.setInterval',
  'timers.clearInterval',
  'timers.setImmediate',
  'timers.clearImmediate',
  'timersPromises.setTimeout',
  'timersPromises.setInterval',
  'timersPromises.setImmediate',
  'os.uptime',
  'crypto.randomUUID',
  'crypto.randomBytes',
  'crypto.randomFillSync',
  'crypto.randomFill',
  'crypto.randomInt',
  'crypto.generateKey',
  'crypto.generateKeySync',
  'crypto.generateKeyPair',
  'crypto.generateKeyPairSync',
  'crypto.generatePrime',
  'crypto.generatePrimeSync',
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
] as const;

export type BridgedName = (typeof BRIDGED)[number];
// biome-ignore lint/suspicious/noExplicitAny: the bridged functions have every shape.
type AnyFunction = (this: unknown, ...args: any[]) => any;

/** What a run puts behind the bridge: a replacement for some bridged functions (given the original). */
export type BridgeTarget = Partial<Record<BridgedName, AnyFunction>>;

let target: BridgeTarget | undefined;
const originals = new Map<BridgedName, AnyFunction>();

/** The function a bridged name had before the bridge (the real builtin). */
export function originalOf(name: BridgedName): AnyFunction {
  const fn = originals.get(name);
  if (fn === undefined) throw new Error(`[faultline] ${name} is not bridged`);
  return fn;
}

/** Sets (or, with undefined, clears) what the bridged functions forward to during a run. */
export function setBridgeTarget(next: BridgeTarget | undefined): void {
  target = next;
}

function bridgeOne(name: BridgedName): void {
  const [moduleName, key] = name.split('.') as [ModuleName, string];
  const module = modules[moduleName] as unknown as Record<string, unknown>;
  const descriptor = Object.getOwnPropertyDescriptor(module, key);
  const original = descriptor?.value;
  // Only plain, replaceable function exports are bridged (not getters, not missing ones).
  if (typeof original !== 'function' || descriptor?.writable !== true) return;
  originals.set(name, original as AnyFunction);
  const forward = function (this: unknown, ...args: unknown[]): unknown {
    const replacement = target?.[name];
    return (replacement ?? (original as AnyFunction)).apply(this, args);
  };
  for (const property of Reflect.ownKeys(original)) {
    if (property === 'length' || property === 'name' || property === 'prototype') continue;
    const descriptor = Object.getOwnPropertyDescriptor(original, property);
    if (descriptor !== undefined) Object.defineProperty(forward, property, descriptor);
  }
  Object.defineProperty(forward, 'name', { value: original.name });
  Object.defineProperty(forward, 'length', { value: original.length });
  module[key] = forward;
}

// Worker threads are real work the run loop must know about (they are invisible in Node's list of
// active handles), so the class is replaced by a subclass that tells a run when one is made.
const OriginalWorker = workerThreads.Worker;
let workerObserver: ((worker: InstanceType<typeof OriginalWorker>) => void) | undefined;

/** Sets (or clears) what is told of each worker thread made during a run. */
export function setWorkerObserver(observer: typeof workerObserver): void {
  workerObserver = observer;
}

/** The real Worker class, for Faultline's own threads (which belong to no run). */
export function originalWorker(): typeof OriginalWorker {
  return OriginalWorker;
}

const Worker = class Worker extends OriginalWorker {
  constructor(...args: ConstructorParameters<typeof OriginalWorker>) {
    super(...args);
    workerObserver?.(this);
  }
};
(workerThreads as { Worker: typeof OriginalWorker }).Worker = Worker;

for (const name of BRIDGED) bridgeOne(name);
syncBuiltinESMExports();
