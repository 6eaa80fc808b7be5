// The globals a run takes over, and gives back. While a run is in progress, agent code sees a
// virtual clock (setTimeout, setInterval, Date, performance.now, process.hrtime, node:timers and
// node:timers/promises even when imported by name, process.uptime, os.uptime, the event loop's
// utilisation, Intl date formatting without a date), seeded Math.random, Web Crypto and node:crypto
// randomness (UUIDs, bytes, integers, secret keys, primes, EC and EdDSA key pairs), and a network
// that refuses real connections. `restore()` puts every original back, whatever the agent did.

import type { Clock } from '@sinonjs/fake-timers';
import { type AgentCallbackHooks, installAgentCallbacks, realTurn } from './agentCallbacks.ts';
import { type BridgeTarget, setBridgeTarget, setWorkerObserver } from './builtinBridge.ts';
import { errorText, FaultlineError, safeString } from './errors.ts';
import { installNetworkGuard, type NetworkView, type OnBlocked } from './networkGuard.ts';
import { isPatched, nameOf, patchProperty, swapProperties } from './patch.ts';
import { RealWork } from './realWork.ts';
import type { RandomStream, Rng } from './rng.ts';
import { seededCryptoTarget } from './seededCrypto.ts';
import { seededGenerateKey } from './seededSubtle.ts';
import { observeWorker, trackedWorkTarget, trackSubtle } from './trackedWork.ts';
import { type ClockView, installClockExtras, timersTarget, virtualOsUptime } from './virtualClockExtras.ts';
import { giveBackClock, takeClock, virtualTimers } from './virtualTimers.ts';
import { watchdog } from './watchdog.ts';

// The kernel's own view of real time (the real event loop's turns are in agentCallbacks.ts).
const realPerformanceNow = performance.now.bind(performance); // allowed: the wall-clock guard only

/** Real milliseconds, for the wall-clock guard and for benchmarks; never for anything in a trace. */
export function wallClockMs(): number {
  return realPerformanceNow();
}

/**
 * Puts the run's virtual clock on the globals (the forwarders of virtualTimers.ts), refusing
 * clearly when someone else's fake clock is installed or the globals cannot be replaced. Returns
 * the undo.
 */
function swapInClock(): () => void {
  const setTimeoutNow = globalThis.setTimeout as unknown as { clock?: unknown; _isMockFunction?: boolean };
  if (setTimeoutNow.clock !== undefined || (globalThis.Date as unknown as { clock?: unknown }).clock !== undefined || setTimeoutNow._isMockFunction === true) {
    throw new FaultlineError('GLOBALS_UNAVAILABLE', {
      what: 'simulate() was called while fake timers are installed (vi.useFakeTimers(), jest.useFakeTimers() or sinon)',
      todo:
        'A simulated run brings its own virtual clock and cannot share the globals with another one. Call vi.useRealTimers() ' +
        '(or jest.useRealTimers(), clock.uninstall()) before simulate(), and install your fake timers again after it if the test needs them',
    });
  }
  try {
    return swapProperties(clockGlobals);
  } catch (error) {
    throw new FaultlineError('GLOBALS_UNAVAILABLE', {
      what: `Faultline could not install the run's virtual clock: ${errorText(error)}`,
      todo: 'setTimeout, setInterval, Date and performance must be replaceable on the global object during a run; do not freeze or lock them',
      cause: error,
    });
  }
}

/**
 * While a globals session holds some properties of an object, freezing it would stop them from
 * being put back: Object.freeze, seal and preventExtensions refuse such an object, with the reason.
 */
function guardFreezing(): Array<() => void> {
  const refuse = (how: string, target: unknown): FaultlineError =>
    new FaultlineError('GLOBALS_UNAVAILABLE', {
      what: `${how}(${nameOf(target as object)}) was called ${installed === undefined ? 'between the simulated runs of a check' : 'during a simulated run'}, while Faultline has replaced some of its properties`,
      todo: 'Faultline puts every global it replaced back when the run or check ends; freeze or seal globals outside simulated runs and checks (after your simulation tests)',
    });
  const guard = (holder: object, key: 'freeze' | 'seal' | 'preventExtensions', how: string) => {
    const original = (holder as Record<string, (o: unknown) => unknown>)[key] as (o: unknown) => unknown;
    return patchProperty(holder, key, (o: unknown) => {
      if (typeof o === 'object' && o !== null && isPatched(o)) throw refuse(how, o);
      return original(o);
    });
  };
  return [
    guard(Object, 'freeze', 'Object.freeze'),
    guard(Object, 'seal', 'Object.seal'),
    guard(Object, 'preventExtensions', 'Object.preventExtensions'),
    guard(Reflect, 'preventExtensions', 'Reflect.preventExtensions'),
  ];
}

export interface RunGlobalsConfig {
  /** Epoch milliseconds the virtual clock starts at. */
  readonly startTime: number;
  /**
   * The run's random source. Math.random draws from its `agent:Math.random` stream; the crypto
   * functions (Web Crypto's getRandomValues, randomUUID and subtle.generateKey, and node:crypto's,
   * see seededCrypto.ts) from `agent:crypto`. Streams are made on first use.
   */
  readonly rng: Rng;
  /** Builds the error for a blocked real network call. */
  readonly onBlocked: OnBlocked;
  /** Leave node:http(s) unguarded (sockets stay guarded), for global mode's msw interception. */
  readonly interceptHttp?: boolean;
}

/** The run holding the globals now, or undefined between runs. Every session patch reads it when called. */
let installed: RunGlobals | undefined;
const current = (): RunGlobals | undefined => installed;

/** The virtual clock's functions, made once; a run swaps them onto the globals (see virtualTimers.ts). */
const timers = virtualTimers(current);
const clockGlobals: ReadonlyArray<readonly [object, string, unknown]> = [
  ...Object.entries(timers.globals).map(([key, value]) => [globalThis, key, value] as const),
  [process, 'hrtime', timers.hrtime],
];

function requireRun(): RunGlobals {
  if (installed === undefined) throw new Error('[faultline] a run-only builtin was called while no run holds the globals');
  return installed;
}

/**
 * The globals a run takes over, installed once for a series of runs (a check's runs, a soak's, a
 * worker's): installing and removing them costs more than a short run itself, so a check holds one
 * session around all its runs, and a lone simulate() holds one for its own run. Each patched
 * function asks which run holds the globals when it is called, and between runs (no run) behaves
 * exactly as the original, so the harness's own code between runs sees the real process. The
 * virtual clock's globals (Date, the timers, process.hrtime) are swapped onto the global object by
 * each run and put back at its end, so that code between runs sees the real ones even by identity;
 * the functions swapped in are made once (virtualTimers.ts).
 */
class GlobalsSession {
  private readonly undo: Array<() => void> = [];
  /** What builtins imported by name forward to during a run (the virtual clock's timers, os.uptime, seeded crypto, tracked thread-pool jobs), built once. */
  readonly bridge: BridgeTarget;
  holders = 0;

  constructor() {
    try {
      this.patchRandomness();
      this.undo.push(installNetworkGuard(current));
      this.undo.push(...installAgentCallbacks(current));
      this.virtualAbortTimeouts();
      this.undo.push(...installClockExtras(current));
      this.undo.push(...trackSubtle(() => installed?.realWork));
      const seeded = seededCryptoTarget({ stream: () => requireRun().crypto, unseeded: (source) => installed?.onUnseeded?.(source) });
      this.bridge = {
        ...timersTarget(timers),
        'os.uptime': virtualOsUptime(current),
        ...seeded,
        ...trackedWorkTarget(() => installed?.realWork, seeded),
      };
      this.undo.push(...guardFreezing());
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Puts every patched global back, whatever fails along the way; throws what failed. Safe to call more than once. */
  close(): void {
    const errors: unknown[] = [];
    while (this.undo.length > 0) {
      try {
        this.undo.pop()?.();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw new FaultlineError('GLOBALS_UNAVAILABLE', {
        what: `Faultline could not put back ${errors.length} global(s) after its simulated runs`,
        todo: 'Each function left in place behaves as the original again; look for agent code that froze or redefined globals during a run',
        details: errors.map((e) => (e instanceof Error ? safeString(e.message) : safeString(e))),
      });
    }
  }

  private set(target: object, key: string, value: unknown): void {
    this.undo.push(patchProperty(target, key, value));
  }

  private patchRandomness(): void {
    const realRandom = Math.random;
    this.set(Math, 'random', () => (installed === undefined ? realRandom() : installed.math.next()));
    const webCrypto = globalThis.crypto;
    const realGetRandomValues = webCrypto.getRandomValues;
    const getRandomValues = function <T extends ArrayBufferView | null>(this: unknown, array: T): T {
      const run = installed;
      if (run === undefined) return realGetRandomValues.call(this as Crypto, array as never) as T;
      if (array === null || !ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array) {
        throw new TypeError('getRandomValues needs an integer-typed array');
      }
      if (array.byteLength > 65536) {
        throw new DOMException(`The ArrayBufferView's byte length (${array.byteLength}) exceeds 65536`, 'QuotaExceededError');
      }
      return run.crypto.fill(array);
    };
    this.set(webCrypto, 'getRandomValues', getRandomValues);
    const realRandomUUID = webCrypto.randomUUID;
    this.set(webCrypto, 'randomUUID', function (this: unknown) {
      return installed === undefined ? realRandomUUID.call(this as Crypto) : installed.crypto.uuid();
    });
    const subtle = Object.getPrototypeOf(webCrypto.subtle) as { generateKey: Parameters<typeof seededGenerateKey>[0] };
    const realGenerateKey = subtle.generateKey;
    const seeded = seededGenerateKey(
      realGenerateKey,
      () => requireRun().crypto,
      (source) => installed?.onUnseeded?.(source),
    );
    this.set(subtle, 'generateKey', function (this: unknown, ...args: Parameters<typeof realGenerateKey>) {
      return (installed === undefined ? realGenerateKey : seeded).apply(this as SubtleCrypto, args);
    });
  }

  /**
   * AbortSignal.timeout() runs on Node's internal timers, which fake-timers does not reach; during a
   * run it is rebuilt on the virtual setTimeout, so a client's timeout fires in virtual time.
   */
  private virtualAbortTimeouts(): void {
    const realTimeout = AbortSignal.timeout;
    this.set(AbortSignal, 'timeout', (ms: number) => {
      const run = installed;
      if (run === undefined) return realTimeout.call(AbortSignal, ms);
      const controller = new AbortController();
      run.clock.setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
      return controller.signal;
    });
  }
}

let session: GlobalsSession | undefined;

/**
 * Holds the globals session (opening it if none is open) until the returned function is called;
 * the session closes when its last holder lets go. Throws GLOBALS_UNAVAILABLE when a global cannot
 * be replaced, and when putting them back fails.
 */
export function holdGlobals(): () => void {
  session ??= new GlobalsSession();
  const held = session;
  held.holders++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.holders--;
    if (held.holders > 0 || session !== held) return;
    session = undefined;
    held.close();
  };
}

/**
 * Runs `fn` with the globals session held, so the runs it makes share one installation of the
 * patched globals (a check's runs; see GlobalsSession). The globals are all put back when it ends.
 */
export async function withGlobalsHeld<T>(fn: () => Promise<T>): Promise<T> {
  const release = holdGlobals();
  try {
    return await fn();
  } finally {
    release();
  }
}

/** What one run holds: its virtual clock, seeded random streams and real work, over the session's patches. */
export class RunGlobals implements AgentCallbackHooks, NetworkView, ClockView {
  readonly clock: Clock;
  readonly startTime: number;
  readonly onBlocked: OnBlocked;
  readonly interceptHttp: boolean;
  /** setImmediate handles of agent code whose callback has not run yet. */
  readonly live = new Set<unknown>();
  private readonly rng: Rng;
  private mathStream: RandomStream | undefined;
  private cryptoStream: RandomStream | undefined;
  private releaseSession: (() => void) | undefined;
  private readonly unswapClock: () => void;

  private constructor(config: RunGlobalsConfig) {
    this.rng = config.rng;
    this.startTime = config.startTime;
    this.onBlocked = config.onBlocked;
    this.interceptHttp = config.interceptHttp === true;
    this.releaseSession = holdGlobals();
    const held = session as GlobalsSession; // holdGlobals opened it if none was open
    try {
      this.unswapClock = swapInClock();
    } catch (error) {
      this.releaseSession();
      throw error;
    }
    this.clock = takeClock(config.startTime);
    setWorkerObserver(observeWorker(this.realWork));
    setBridgeTarget(held.bridge);
  }

  get math(): RandomStream {
    return (this.mathStream ??= this.rng.stream('agent:Math.random'));
  }

  get crypto(): RandomStream {
    return (this.cryptoStream ??= this.rng.stream('agent:crypto'));
  }

  /** Real work the run's agent code started (file system, DNS, crypto jobs, workers, …). */
  readonly realWork = new RealWork();

  /** Set when the run loop's agent code was stopped by the watchdog, or the run ended. */
  dead = false;
  /** The watchdog arming of the loop in progress, if any. */
  watchGeneration: number | undefined;

  /** True once the run has ended or its agent code was stopped (callbacks still queued are then dropped). */
  readonly isDead = (): boolean => this.dead || (this.watchGeneration !== undefined && watchdog.killed(this.watchGeneration));

  /** Takes over the globals for one run. Only one run may hold them at a time. */
  static install(config: RunGlobalsConfig): RunGlobals {
    if (installed !== undefined) throw new Error('RunGlobals.install while another run holds the globals');
    installed = new RunGlobals(config);
    return installed;
  }

  /** True while some run holds the globals. */
  static get busy(): boolean {
    return installed !== undefined;
  }

  /** Ends the run's hold on the globals: its clock is removed, and the session's patches go back to the originals (or are put back, if no one else holds them). Safe to call more than once. */
  restore(): void {
    this.dead = true;
    if (installed === this) {
      installed = undefined;
      setBridgeTarget(undefined);
      setWorkerObserver(undefined);
    }
    const release = this.releaseSession;
    if (release === undefined) return;
    this.releaseSession = undefined;
    try {
      this.unswapClock();
    } finally {
      // A clock cut off by the watchdog mid-tick is left as it was; the next run gets a new one.
      const stopped = this.watchGeneration !== undefined && watchdog.killed(this.watchGeneration);
      giveBackClock(this.clock, !stopped && (this.clock as { duringTick?: boolean }).duringTick !== true);
      release();
    }
  }

  /**
   * Resolves once the microtask queue has drained and no setImmediate callback that agent code
   * scheduled is still waiting: this is "idle" in the run loop's sense.
   */
  async drain(): Promise<void> {
    // Bounded: an agent that keeps re-arming setImmediate is never idle, and the run loop turns
    // that into a step-limit outcome instead of spinning here forever.
    for (let round = 0; round < 64; round++) {
      await realTurn();
      if (this.live.size === 0) return;
    }
  }

  /** True while agent code has a setImmediate callback waiting to run. */
  get immediatesPending(): boolean {
    return this.live.size > 0;
  }

  /** Runs `fn` with Math.random drawing from `stream`, so that harness code does not consume the agent's draws. */
  withMathRandom<T>(stream: RandomStream, fn: () => T): T {
    const saved = this.math;
    this.mathStream = stream;
    try {
      return fn();
    } finally {
      this.mathStream = saved;
    }
  }

  /**
   * Runs `fn` with the crypto functions drawing from `stream`, so that a simulated server's own
   * draws (the SDK server transport's stream ids) do not consume the agent's. Only what `fn` does
   * synchronously draws from `stream`.
   */
  withCryptoRandom<T>(stream: RandomStream, fn: () => T): T {
    const saved = this.crypto;
    this.cryptoStream = stream;
    try {
      return fn();
    } finally {
      this.cryptoStream = saved;
    }
  }

  /** Told when agent code uses a random source the seed does not reach (RSA key generation, say). */
  onUnseeded: ((source: string) => void) | undefined;
}
