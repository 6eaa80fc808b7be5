// The globals a run takes over, and gives back. While a run is in progress, agent code sees a
// virtual clock (setTimeout, setInterval, Date, performance.now, process.hrtime, node:timers and
// node:timers/promises even when imported by name, process.uptime, os.uptime, the event loop's
// utilisation, Intl date formatting without a date), seeded Math.random, Web Crypto and node:crypto
// randomness (UUIDs, bytes, integers, secret keys, primes, EC and EdDSA key pairs), and a network
// that refuses real connections. `restore()` puts every original back, whatever the agent did.
import FakeTimers, { type Clock } from '@sinonjs/fake-timers';
import { installAgentCallbacks, realTurn } from './agentCallbacks.ts';
import { setBridgeTarget, setWorkerObserver } from './builtinBridge.ts';
import { errorText, FaultlineError, safeString } from './errors.ts';
import { installNetworkGuard, type OnBlocked } from './networkGuard.ts';
import { isPatched, nameOf, patchProperty } from './patch.ts';
import { RealWork } from './realWork.ts';
import type { RandomStream, Rng } from './rng.ts';
import { seededCryptoTarget } from './seededCrypto.ts';
import { seededGenerateKey } from './seededSubtle.ts';
import { observeWorker, trackedWorkTarget, trackSubtle } from './trackedWork.ts';
import { installClockExtras, timersTarget, virtualOsUptime } from './virtualClockExtras.ts';
import { watchdog } from './watchdog.ts';

// Building fake-timers' context is costly (it prepares a fake Date class), so it is done once.
const fakeTimers = FakeTimers.withGlobal(globalThis);

// The kernel's own view of real time (the real event loop's turns are in agentCallbacks.ts).
const realPerformanceNow = performance.now.bind(performance); // allowed: the wall-clock guard only

/** Real milliseconds, for the wall-clock guard and for benchmarks; never for anything in a trace. */
export function wallClockMs(): number {
  return realPerformanceNow();
}

/**
 * Installs the run's virtual clock, refusing clearly when someone else's fake clock is installed
 * (fake-timers would throw a bare TypeError) or the globals cannot be replaced.
 */
function installClock(startTime: number): Clock {
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
    return fakeTimers.install({ now: startTime, toFake: [...FAKED] });
  } catch (error) {
    throw new FaultlineError('GLOBALS_UNAVAILABLE', {
      what: `Faultline could not install the run's virtual clock: ${errorText(error)}`,
      todo: 'setTimeout, setInterval, Date and performance must be replaceable on the global object during a run; do not freeze or lock them',
      cause: error,
    });
  }
}

/**
 * During a run, freezing an object whose properties the run has replaced would stop them from being
 * put back: Object.freeze, seal and preventExtensions refuse such an object, with the reason.
 */
function guardFreezing(): Array<() => void> {
  const refuse = (how: string, target: unknown): FaultlineError =>
    new FaultlineError('GLOBALS_UNAVAILABLE', {
      what: `${how}(${nameOf(target as object)}) was called during a simulated run, while the run has replaced some of its properties`,
      todo: 'A run puts every global it replaced back when it ends; freeze or seal globals outside simulated runs (after your simulation tests)',
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

const FAKED = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance', 'hrtime'] as const;

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

let installed: RunGlobals | undefined;

export class RunGlobals {
  readonly clock: Clock;
  private readonly undo: Array<() => void> = [];
  private readonly liveImmediates = new Set<unknown>();
  private readonly rng: Rng;
  private mathStream: RandomStream | undefined;
  private cryptoStream: RandomStream | undefined;

  private constructor(config: RunGlobalsConfig) {
    this.rng = config.rng;
    this.clock = installClock(config.startTime);
    this.undo.push(() => this.clock.uninstall());
    try {
      this.patchRandomness();
      this.undo.push(installNetworkGuard(config.onBlocked, { httpModules: config.interceptHttp !== true }));
      this.undo.push(...installAgentCallbacks({ live: this.liveImmediates, isDead: () => this.isDead() }));
      this.virtualAbortTimeouts();
      this.undo.push(...installClockExtras(this.clock, config.startTime));
      this.undo.push(...trackSubtle(this.realWork));
      setWorkerObserver(observeWorker(this.realWork));
      this.undo.push(() => setWorkerObserver(undefined));
      this.bridgeBuiltins(config.startTime);
      this.undo.push(...guardFreezing());
    } catch (error) {
      this.restore();
      throw error;
    }
  }

  private get math(): RandomStream {
    return (this.mathStream ??= this.rng.stream('agent:Math.random'));
  }

  private get crypto(): RandomStream {
    return (this.cryptoStream ??= this.rng.stream('agent:crypto'));
  }

  /** Real work the run's agent code started (file system, DNS, crypto jobs, workers, …). */
  readonly realWork = new RealWork();

  /** Set when the run loop's agent code was stopped by the watchdog, or the run ended. */
  dead = false;
  /** The watchdog arming of the loop in progress, if any. */
  watchGeneration: number | undefined;

  private isDead(): boolean {
    return this.dead || (this.watchGeneration !== undefined && watchdog.killed(this.watchGeneration));
  }

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

  /** Puts every patched global back. Safe to call more than once. */
  restore(): void {
    this.dead = true;
    const errors: unknown[] = [];
    while (this.undo.length > 0) {
      try {
        this.undo.pop()?.();
      } catch (error) {
        errors.push(error);
      }
    }
    if (installed === this) installed = undefined;
    if (errors.length > 0) {
      throw new FaultlineError('GLOBALS_UNAVAILABLE', {
        what: `Faultline could not put back ${errors.length} global(s) after the run`,
        todo: 'Each function left in place behaves as the original again; look for agent code that froze or redefined globals during the run',
        details: errors.map((e) => (e instanceof Error ? safeString(e.message) : safeString(e))),
      });
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
      if (this.liveImmediates.size === 0) return;
    }
  }

  /** True while agent code has a setImmediate callback waiting to run. */
  get immediatesPending(): boolean {
    return this.liveImmediates.size > 0;
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

  private set(target: object, key: string, value: unknown): void {
    this.undo.push(patchProperty(target, key, value));
  }

  private patchRandomness(): void {
    this.set(Math, 'random', () => this.math.next());
    const getRandomValues = <T extends ArrayBufferView | null>(array: T): T => {
      if (array === null || !ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array) {
        throw new TypeError('getRandomValues needs an integer-typed array');
      }
      if (array.byteLength > 65536) {
        throw new DOMException(`The ArrayBufferView's byte length (${array.byteLength}) exceeds 65536`, 'QuotaExceededError');
      }
      return this.crypto.fill(array);
    };
    this.set(globalThis.crypto, 'getRandomValues', getRandomValues);
    this.set(globalThis.crypto, 'randomUUID', () => this.crypto.uuid());
    const subtle = Object.getPrototypeOf(globalThis.crypto.subtle) as { generateKey: Parameters<typeof seededGenerateKey>[0] };
    this.set(
      subtle,
      'generateKey',
      seededGenerateKey(
        subtle.generateKey,
        () => this.crypto,
        (source) => this.onUnseeded?.(source),
      ),
    );
  }

  /** Puts the run's timers and seeded randomness behind the builtins agents import by name. */
  private bridgeBuiltins(startTime: number): void {
    const seeded = seededCryptoTarget({ stream: () => this.crypto, unseeded: (source) => this.onUnseeded?.(source) });
    setBridgeTarget({
      ...timersTarget(),
      'os.uptime': virtualOsUptime(this.clock, startTime),
      ...seeded,
      ...trackedWorkTarget(this.realWork, seeded),
    });
    this.undo.push(() => setBridgeTarget(undefined));
  }

  /** Told when agent code uses a random source the seed does not reach (RSA key generation, say). */
  onUnseeded: ((source: string) => void) | undefined;

  /**
   * AbortSignal.timeout() runs on Node's internal timers, which fake-timers does not reach; during a
   * run it is rebuilt on the virtual setTimeout, so a client's timeout fires in virtual time.
   */
  private virtualAbortTimeouts(): void {
    const clock = this.clock;
    this.set(AbortSignal, 'timeout', (ms: number) => {
      const controller = new AbortController();
      clock.setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
      return controller.signal;
    });
  }
}
