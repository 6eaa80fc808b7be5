// The watchdog: a thread that stops agent code which never yields (a synchronous infinite loop, an
// endless chain of microtasks, a process.nextTick flood). Such code never returns to the run loop,
// so no check in the loop can end it; another thread has to.
//
// The run loop arms the watchdog with the run's wall-clock deadline and beats on every step. When
// the deadline has passed and the loop has not beaten for `graceMs`, the watchdog thread writes one
// line to stderr naming the scenario, seed, actor and virtual time, and asks V8 (through the
// inspector's Runtime.terminateExecution on the main thread) to stop the JavaScript that is
// running. The run loop runs agent code only inside microtasks, where a terminated execution
// unwinds cleanly (V8 also drops the queued microtasks); it then hears of the kill from the thread
// and ends the run as `timeout`. Shared memory carries the arming, the beats and the description,
// because the main thread's event loop is exactly what is stuck.
//
// Off the main thread (a run inside a worker) the inspector cannot reach the stuck thread: the
// watchdog then names the run on stderr and ends the process, a clear failure rather than a hang.
// A worker pool that terminates its own stuck workers can turn it off with FAULTLINE_WATCHDOG=off.
import { isMainThread, type Worker } from 'node:worker_threads';
import { originalWorker } from './builtinBridge.ts';

// Real epoch milliseconds, as the watchdog thread reads them (Date.now is virtual during a run).
const realDateNow = Date.now.bind(Date);

/** Real epoch milliseconds, for the watchdog's deadline. */
export function realEpochMs(): number {
  return realDateNow();
}

const realSetInterval = globalThis.setInterval;

const ARMED = 0;
const BEAT = 1;
const KILLED = 2;
const TEXT_LENGTH = 3;
/** Written to ARMED when the process exits; the thread acknowledges in KILLED. */
const QUIT = -1;
const TEXT_BYTES = 2048;
/** Real milliseconds the thread sleeps at most between looks at the arming (see watch()). */
const POLL_MS = 100;

const THREAD = `
const { workerData, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { sab, mainThread } = workerData;
const i32 = new Int32Array(sab, 0, 8);
const f64 = new Float64Array(sab, 32, 2);
const text = new Uint8Array(sab, 64);
let session;
if (mainThread) {
  try { const inspector = require('node:inspector'); session = new inspector.Session(); session.connectToMainThread(); } catch { session = undefined; }
}
// The session is usable once the main thread has answered it once; only then is the thread ready.
// Until then a timer keeps the thread alive: from Node 22 a pending inspector call does not, and the
// thread would exit at once, leaving every run unguarded.
if (session) {
  const alive = setInterval(() => {}, 1 << 30);
  session.post('Runtime.getIsolateId', () => { clearInterval(alive); parentPort.postMessage('ready'); watch(); });
}
else { parentPort.postMessage('ready'); watch(); }
function watch() {
let lastArmed = 0;
let lastBeat = -1;
let beatAt = 0;
for (;;) {
  const armed = Atomics.load(i32, ${ARMED});
  if (armed === ${QUIT}) {
    // The process is exiting: a session still connected would make Node print "Waiting for the debugger to disconnect".
    if (session) session.disconnect();
    Atomics.store(i32, ${KILLED}, ${QUIT});
    Atomics.notify(i32, ${KILLED});
    return;
  }
  // Arming and disarming do not wake this thread (a wake-up per run cost more than a short run's
  // own bookkeeping): it looks again at least every ${POLL_MS} ms, which only delays a stop that far.
  if (armed === 0) { lastArmed = 0; Atomics.wait(i32, ${ARMED}, 0, ${POLL_MS}); continue; }
  const now = Date.now(); // allowed: the watchdog thread's own real clock, never in a trace
  const beat = Atomics.load(i32, ${BEAT});
  if (armed !== lastArmed || beat !== lastBeat) { lastArmed = armed; lastBeat = beat; beatAt = now; }
  const due = Math.max(f64[0], beatAt + f64[1]);
  if (now < due) { Atomics.wait(i32, ${ARMED}, armed, Math.min(due - now, ${POLL_MS})); continue; }
  if (Atomics.compareExchange(i32, ${ARMED}, armed, 0) !== armed) continue;
  Atomics.store(i32, ${KILLED}, armed);
  const where = new TextDecoder().decode(text.slice(0, Atomics.load(i32, ${TEXT_LENGTH})));
  const how = session ? 'stopping it' : 'it cannot be stopped on this thread, so the process ends';
  fs.writeSync(2, '[faultline] Agent code kept the CPU busy without yielding for ' + Math.round(now - beatAt) + ' ms past the run\\'s wall-clock limit (' + where + '); ' + how + '.\\n');
  if (session) { session.post('Runtime.terminateExecution'); parentPort.postMessage(armed); }
  else process.kill(process.pid, 'SIGKILL');
}
}
`;

class Watchdog {
  private readonly sab = new SharedArrayBuffer(64 + TEXT_BYTES);
  private readonly i32 = new Int32Array(this.sab, 0, 8);
  private readonly f64 = new Float64Array(this.sab, 32, 2);
  private readonly text = new Uint8Array(this.sab, 64);
  private readonly encoder = new TextEncoder();
  private thread: Worker | undefined;
  private ready: Promise<void> = Promise.resolve();
  private generation = 0;
  private onKill: ((generation: number) => void) | undefined;
  private described = '';
  private keepAlive: ReturnType<typeof setInterval> | undefined;

  /** True once start() has been called (whether or not the thread is ready yet). */
  get started(): boolean {
    return this.thread !== undefined || process.env.FAULTLINE_WATCHDOG === 'off';
  }

  /**
   * Starts the thread (once) and resolves when it can stop agent code. Call outside runs: a thread
   * started during one would count as its work.
   */
  start(): Promise<void> {
    if (this.thread !== undefined || process.env.FAULTLINE_WATCHDOG === 'off') return this.ready;
    // Plain CommonJS: no loader flags (tsx, vitest) are passed on, so the thread starts fast and alone.
    const thread = new (originalWorker())(THREAD, { eval: true, execArgv: [], workerData: { sab: this.sab, mainThread: isMainThread } });
    this.ready = new Promise<void>((resolve) => {
      thread.on('message', (message: number | 'ready') => {
        if (message !== 'ready') this.onKill?.(message);
        else {
          // Ready: from now on the thread never keeps the process alive by itself.
          thread.unref();
          process.once('exit', () => this.quit());
          resolve();
        }
      });
      // A watchdog that cannot start leaves runs unguarded against code that never yields, as before.
      thread.on('error', () => resolve());
      thread.on('exit', () => resolve());
    });
    this.thread = thread;
    return this.ready;
  }

  /**
   * Arms the watchdog until `deadline` (epoch ms, real time) plus `graceMs` of silence; `onKill`
   * is called (from a fresh macrotask) if it has to stop agent code. Returns the arming's id.
   */
  arm(deadline: number, graceMs: number, onKill: () => void): number {
    const generation = ++this.generation;
    this.f64[0] = deadline + graceMs;
    this.f64[1] = graceMs;
    this.onKill = (killed) => {
      if (killed === generation) onKill();
    };
    Atomics.store(this.i32, ARMED, generation);
    // While armed, a real timer keeps the process alive: the thread's message is how a stopped run
    // ends, and an unref'd thread's message would not be waited for. (A timer, not a ref on the
    // thread, because a ref'd thread's port would look like real work of the run.) One timer for
    // the process, ref'd while armed: making and clearing one per run costs more than a short run's
    // own bookkeeping.
    this.keepAlive ??= realSetInterval(() => undefined, 2 ** 30);
    this.keepAlive.ref();
    return generation;
  }

  /** A sign of life from the run loop, with where the run is (written only when it changed). */
  beat(where: string): void {
    Atomics.add(this.i32, BEAT, 1);
    if (where === this.described) return;
    this.described = where;
    const written = this.encoder.encodeInto(where, this.text).written;
    Atomics.store(this.i32, TEXT_LENGTH, written);
  }

  disarm(generation: number): void {
    Atomics.compareExchange(this.i32, ARMED, generation, 0);
    if (generation === this.generation) this.keepAlive?.unref();
  }

  /** Tells the thread to disconnect its inspector session, and waits (briefly) until it has. */
  private quit(): void {
    Atomics.store(this.i32, ARMED, QUIT);
    Atomics.notify(this.i32, ARMED);
    Atomics.wait(this.i32, KILLED, Atomics.load(this.i32, KILLED), 200);
  }

  /** True once the watchdog has stopped agent code of arming `generation`. */
  killed(generation: number): boolean {
    return Atomics.load(this.i32, KILLED) === generation;
  }
}

/** The process's one watchdog. */
export const watchdog = new Watchdog();
