// The globals a run takes over, and gives back. While a run is in progress, agent code sees a
// virtual clock (setTimeout, setInterval, Date, performance.now, process.hrtime, node:timers and
// node:timers/promises even when imported by name, process.uptime, os.uptime, the event loop's
// utilisation, Intl date formatting without a date), seeded Math.random, Web Crypto and node:crypto
// randomness (UUIDs, bytes, integers, secret keys, primes, EC and EdDSA key pairs), and a network
// that refuses real connections. `restore()` puts every original back, whatever the agent did.
import { promisify } from 'node:util';
import FakeTimers, { type Clock } from '@sinonjs/fake-timers';
import { setBridgeTarget } from './builtinBridge.ts';
import { installNetworkGuard, type OnBlocked } from './networkGuard.ts';
import { patchProperty } from './patch.ts';
import type { RandomStream, Rng } from './rng.ts';
import { seededCryptoTarget } from './seededCrypto.ts';
import { seededGenerateKey } from './seededSubtle.ts';
import { installClockExtras, timersTarget, virtualOsUptime } from './virtualClockExtras.ts';

// Building fake-timers' context is costly (it prepares a fake Date class), so it is done once.
const fakeTimers = FakeTimers.withGlobal(globalThis);

// The kernel's own view of real time and of the real event loop. setImmediate is deliberately
// never faked (DESIGN.md, rule 2): the kernel uses it to let the microtask queue drain.
const realSetImmediate = globalThis.setImmediate;
const realClearImmediate = globalThis.clearImmediate;
const realPerformanceNow = performance.now.bind(performance); // allowed: the wall-clock guard only

/** Real milliseconds, for the wall-clock guard and for benchmarks; never for anything in a trace. */
export function wallClockMs(): number {
  return realPerformanceNow();
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
    this.clock = fakeTimers.install({ now: config.startTime, toFake: [...FAKED] });
    this.undo.push(() => this.clock.uninstall());
    try {
      this.patchRandomness();
      this.undo.push(installNetworkGuard(config.onBlocked, { httpModules: config.interceptHttp !== true }));
      this.countImmediates();
      this.virtualAbortTimeouts();
      this.undo.push(...installClockExtras(this.clock, config.startTime));
      this.bridgeBuiltins(config.startTime);
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
    const errors: unknown[] = [];
    while (this.undo.length > 0) {
      try {
        this.undo.pop()?.();
      } catch (error) {
        errors.push(error);
      }
    }
    if (installed === this) installed = undefined;
    if (errors.length > 0) throw new AggregateError(errors, '[faultline] failed to restore globals after a run');
  }

  /**
   * Resolves once the microtask queue has drained and no setImmediate callback that agent code
   * scheduled is still waiting: this is "idle" in the run loop's sense.
   */
  async drain(): Promise<void> {
    // Bounded: an agent that keeps re-arming setImmediate is never idle, and the run loop turns
    // that into a step-limit outcome instead of spinning here forever.
    for (let round = 0; round < 64; round++) {
      await new Promise<void>((resolve) => realSetImmediate(resolve));
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
    setBridgeTarget({
      ...timersTarget(),
      'os.uptime': virtualOsUptime(this.clock, startTime),
      ...seededCryptoTarget({ stream: () => this.crypto, unseeded: (source) => this.onUnseeded?.(source) }),
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

  private countImmediates(): void {
    const live = this.liveImmediates;
    const setImmediate = (fn: (...args: unknown[]) => void, ...args: unknown[]): NodeJS.Immediate => {
      const handle = realSetImmediate(() => {
        live.delete(handle);
        fn(...args);
      });
      live.add(handle);
      return handle;
    };
    const clearImmediate = (handle: NodeJS.Immediate | undefined): void => {
      live.delete(handle);
      realClearImmediate(handle);
    };
    Object.defineProperty(setImmediate, promisify.custom, {
      value: (realSetImmediate as unknown as Record<symbol, unknown>)[promisify.custom],
    });
    this.set(globalThis, 'setImmediate', setImmediate);
    this.set(globalThis, 'clearImmediate', clearImmediate);
  }
}
