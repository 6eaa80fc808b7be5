// The simulation kernel: the virtual clock, the event queue, actors and yield points of one run.
//
// Every world call (fetch, sleep, and later llm, tools, stores, locks) passes through a yield point:
// the kernel records a span, schedules the request half and the response half of the call as
// separate events in virtual time, and only lets agent code see the result when the response event
// is delivered. Events whose time has come wait in a ready set from which the scheduling strategy
// picks the next one, so that the order of simultaneous events is the kernel's decision.
import type { Clock } from '@sinonjs/fake-timers';
import { Actor, uniqueName, type Wait } from './actors.ts';
import { errorText, FaultlineError, safeString, type Where } from './errors.ts';
import type { Limits } from './limits.ts';
import { type LongTimer, setLongTimeout } from './longTimer.ts';
import { redactRun } from './redact.ts';
import type { Rng } from './rng.ts';
import type { RunGlobals } from './runGlobals.ts';
import { processSecrets, SecretSet } from './secrets.ts';
import { createStrategy, type Strategy, type StrategyOptions } from './strategy.ts';
import { type SpanKind, type SpanOutcome, type TraceData, TraceRecorder } from './trace.ts';
import { type DeadlockCycle, findCycle } from './waitGraph.ts';

/** Something the harness noticed that is not the agent's doing: a missing handler, a real network call. */
export interface Problem {
  readonly kind: 'unhandled-request' | 'real-network' | 'handler-threw' | 'unknown-model' | 'unoffered-tool' | 'tool-choice-ignored';
  readonly message: string;
  readonly actor: string | undefined;
  readonly t: number;
}

/** A scheduled kernel event: part of a world call, due at a virtual time. */
export interface KernelEvent {
  readonly seq: number;
  readonly actor: Actor;
  readonly dueAt: number;
  readonly run: () => void;
  timer: LongTimer | undefined;
  state: 'pending' | 'ready' | 'done' | 'cancelled';
}

/** What a world call is, for the trace. */
export interface CallSpec<T> {
  readonly actor: Actor;
  readonly kind: SpanKind;
  readonly target: string;
  /** Shown in deadlock reports: `fetch GET https://…`. */
  readonly what: string;
  readonly data?: TraceData;
  /** Data for the span's end, from the value the call produced. */
  readonly summarize?: (value: T) => TraceData;
  readonly signal?: AbortSignal | null | undefined;
}

/** What the serving side of a call knows about it. */
export interface ServeContext {
  /** The call's span, parent of any spans the serving side opens. */
  readonly span: number;
  readonly actor: Actor;
  /** The caller's abort signal, if it gave one. */
  readonly signal: AbortSignal | undefined;
}

/** When the two halves of a call happen, in virtual milliseconds. */
export interface CallTiming {
  readonly requestMs: number;
  readonly responseMs: number;
}

export interface KernelConfig {
  readonly rng: Rng;
  readonly startTime: number;
  readonly limits: Limits;
  readonly scenario: string | undefined;
  /** Real milliseconds, for the wall-clock guard only. */
  readonly wallClock: () => number;
  /** How simultaneous events are ordered. */
  readonly strategy: StrategyOptions;
}

export class Kernel {
  readonly rng: Rng;
  readonly limits: Limits;
  readonly scenario: string | undefined;
  readonly startTime: number;
  readonly wallClock: () => number;
  readonly strategyOptions: StrategyOptions;
  private readonly strategy: Strategy;
  readonly trace: TraceRecorder;
  readonly problems: Problem[] = [];
  /** Credentials seen on this run's requests: masked in its trace and messages. */
  readonly secrets = new SecretSet();
  readonly actors: Actor[] = [];
  /** Events whose virtual time has come, in the order their timers fired. */
  readonly ready: KernelEvent[] = [];
  /** Pending kernel timers per due time, to know when every event of an instant is ready. */
  private readonly due = new Map<number, number>();
  private nextSeq = 0;
  private globalsRef: RunGlobals | undefined;
  /** Set by kernel timer callbacks, so the loop knows when a fired timer ran no agent code. */
  firedKernelTimer = false;
  ended = false;

  constructor(config: KernelConfig) {
    this.rng = config.rng;
    this.limits = config.limits;
    this.scenario = config.scenario;
    this.startTime = config.startTime;
    this.wallClock = config.wallClock;
    this.strategyOptions = config.strategy;
    this.strategy = createStrategy(config.strategy, () => config.rng.stream('schedule'));
    this.trace = new TraceRecorder(
      () => this.now(),
      (text) => redactRun(text, this.secrets),
    );
  }

  attach(globals: RunGlobals): void {
    this.globalsRef = globals;
  }

  get globals(): RunGlobals {
    if (this.globalsRef === undefined) throw new Error('kernel used before its run started');
    return this.globalsRef;
  }

  get clock(): Clock {
    return this.globals.clock;
  }

  /** Virtual milliseconds since the run started. */
  now(): number {
    return this.globalsRef === undefined ? 0 : this.globalsRef.clock.now - this.startTime;
  }

  where(actor?: Actor | string): Where {
    const name = typeof actor === 'string' ? actor : actor?.name;
    return { scenario: this.scenario, actor: name, virtualTimeMs: this.now() };
  }

  /** True while kernel events are still due at the current instant but not yet ready. */
  eventsDueNow(): boolean {
    return (this.due.get(this.globals.clock.now) ?? 0) > 0;
  }

  assertLive(actor: Actor, what: string): void {
    if (this.ended) {
      throw new FaultlineError('RUN_ENDED', {
        what: `${what} was called after the simulated run ended`,
        where: this.where(actor),
        todo: 'Await every world call inside the agent; work left running when the agent returns is dropped',
      });
    }
  }

  /** Schedules `run` to become ready after `delayMs` virtual milliseconds. */
  schedule(delayMs: number, actor: Actor, run: () => void): KernelEvent {
    const clock = this.clock;
    const dueAt = clock.now + Math.max(0, delayMs);
    const event: KernelEvent = { seq: this.nextSeq++, actor, dueAt, run, timer: undefined, state: 'pending' };
    this.due.set(dueAt, (this.due.get(dueAt) ?? 0) + 1);
    event.timer = setLongTimeout(
      clock,
      delayMs,
      () => {
        this.firedKernelTimer = true;
        this.undue(dueAt);
        event.state = 'ready';
        this.ready.push(event);
      },
      () => {
        this.firedKernelTimer = true;
      },
    );
    return event;
  }

  cancel(event: KernelEvent): void {
    if (event.state === 'pending') {
      event.timer?.clear();
      this.undue(event.dueAt);
    }
    if (event.state === 'ready') this.ready.splice(this.ready.indexOf(event), 1);
    if (event.state === 'pending' || event.state === 'ready') event.state = 'cancelled';
  }

  private undue(dueAt: number): void {
    const n = (this.due.get(dueAt) ?? 1) - 1;
    if (n === 0) this.due.delete(dueAt);
    else this.due.set(dueAt, n);
  }

  /**
   * The choices the strategy made among two or more ready events, in order, as the actor whose
   * event went next ('' where that was simply the first ready one): the run's interleaving.
   */
  readonly choices: string[] = [];

  /**
   * Takes the next ready event (the strategy's choice when there are several) and runs it;
   * `before` is told whose event it is, just before it runs.
   */
  deliverNext(before?: (actor: Actor) => void): boolean {
    let index = 0;
    if (this.ready.length > 1) {
      index = this.strategy.pick(this.ready.map((e) => ({ seq: e.seq, actor: e.actor.name })));
      this.choices.push(index === 0 ? '' : (this.ready[index] as KernelEvent).actor.name);
    }
    const [event] = this.ready.splice(index, 1);
    if (event === undefined) return false;
    event.state = 'done';
    before?.(event.actor);
    // A crashed actor's events are dropped: nothing it was waiting for reaches it any more.
    if (event.actor.state !== 'crashed') event.run();
    return true;
  }

  /**
   * Opens the span of a world call and registers `actor` as waiting on it, so that a stuck run can
   * say what each actor waits on. Every kind of wait (calls, sleeps, locks, MCP requests) starts here.
   */
  beginWait(
    actor: Actor,
    start: { kind: SpanKind; target: string; what: string; data?: TraceData | undefined; holders?: Wait['holders']; timesOut?: boolean },
  ): Wait {
    const span = this.trace.open({ parent: actor.span, actor: actor.name, kind: start.kind, target: start.target, data: start.data });
    const wait: Wait = {
      what: start.what,
      since: this.now(),
      span,
      ...(start.holders === undefined ? {} : { holders: start.holders }),
      ...(start.timesOut === undefined ? {} : { timesOut: start.timesOut }),
    };
    actor.waits.add(wait);
    return wait;
  }

  /** Ends a wait: the actor no longer waits on it, it is the actor's last call, and its span closes. */
  endWait(actor: Actor, wait: Wait, outcome: SpanOutcome, data?: TraceData): void {
    actor.waits.delete(wait);
    // After the run, finish() has closed every span; nothing more goes into the trace.
    if (this.ended) return;
    actor.last = { what: wait.what, endedAt: this.now() };
    this.trace.close(wait.span, outcome, data);
  }

  /**
   * A yield point: the single path of every world call. The request half is delivered after
   * `timing.requestMs`, then `serve` runs (it may itself wait in virtual time), then the response
   * half is delivered after `timing.responseMs` and the caller sees the result.
   */
  call<T>(spec: CallSpec<T>, timing: CallTiming, serve: (call: ServeContext) => Promise<T> | T): Promise<T> {
    const { actor, signal } = spec;
    this.assertLive(actor, spec.what);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const wait = this.beginWait(actor, spec);
    const span = wait.span;

    return new Promise<T>((resolve, reject) => {
      let pending: KernelEvent | undefined;
      let done = false;
      const finish = (outcome: 'ok' | 'error' | 'aborted', settle: () => void, data?: TraceData): void => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', onAbort);
        this.endWait(actor, wait, outcome, data);
        settle();
      };
      const onAbort = (): void => {
        if (pending !== undefined) this.cancel(pending);
        finish('aborted', () => reject(signal?.reason));
      };
      signal?.addEventListener('abort', onAbort, { once: true });

      pending = this.schedule(timing.requestMs, actor, () => {
        pending = undefined;
        let served: Promise<T>;
        try {
          served = Promise.resolve(serve({ span, actor, signal: signal ?? undefined }));
        } catch (error) {
          served = Promise.reject(error);
        }
        served.then(
          (value) => {
            if (done || this.ended) return;
            pending = this.schedule(timing.responseMs, actor, () => finish('ok', () => resolve(value), spec.summarize?.(value)));
          },
          (error: unknown) => {
            if (done || this.ended) return;
            pending = this.schedule(timing.responseMs, actor, () => finish('error', () => reject(error), { error: describeError(error) }));
          },
        );
      });
    });
  }

  /**
   * Resolves after `ms` virtual milliseconds, without a span of its own: for time spent inside a
   * call that already has one (a server's processing time, an injected delay).
   */
  delay(actor: Actor, ms: number): Promise<void> {
    // After the run, nothing is scheduled any more: the wait simply never ends.
    if (this.ended) return new Promise<void>(() => undefined);
    return new Promise<void>((resolve) => {
      this.schedule(ms, actor, resolve);
    });
  }

  /** A virtual sleep: one event, `ms` from now. */
  sleep(actor: Actor, ms: number, signal?: AbortSignal | null): Promise<void> {
    const what = `sleep ${ms}ms`;
    this.assertLive(actor, 'world.sleep');
    if (signal?.aborted) return Promise.reject(signal.reason);
    const wait = this.beginWait(actor, { kind: 'sleep', target: 'sleep', what, data: { ms } });
    return new Promise<void>((resolve, reject) => {
      const end = (outcome: 'ok' | 'aborted'): void => {
        signal?.removeEventListener('abort', onAbort);
        this.endWait(actor, wait, outcome);
      };
      const onAbort = (): void => {
        this.cancel(event);
        end('aborted');
        reject(signal?.reason);
      };
      const event = this.schedule(ms, actor, () => {
        end('ok');
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Registers a new actor (its span opens now); `parent` is undefined only for the main actor. */
  addActor(wanted: string, parent: Actor | undefined): Actor {
    const name = uniqueName(wanted, new Set(this.actors.map((a) => a.name)));
    const span = this.trace.open({ parent: parent?.span, actor: name, kind: 'actor', target: `actor:${name}` });
    const actor = new Actor(name, span, parent, this.now());
    this.actors.push(actor);
    return actor;
  }

  private checkWorkBudget(actor: Actor): void {
    const budget = this.limits.budget;
    if (budget === undefined) return;
    if (budget.actors !== undefined && this.actors.length > budget.actors) {
      this.exceed(
        `${this.actors.length} actors were spawned, over limits.budget.actors (${budget.actors}); the last was ${actor.name}, spawned by ${actor.parent?.name}`,
      );
    }
    let depth = 0;
    for (let a = actor.parent; a !== undefined; a = a.parent) depth++;
    if (budget.spawnDepth !== undefined && depth > budget.spawnDepth) {
      this.exceed(`${actor.name} was spawned at depth ${depth}, over limits.budget.spawnDepth (${budget.spawnDepth})`);
    }
  }

  actorNamed(name: string): Actor | undefined {
    return this.actors.find((a) => a.name === name);
  }

  /** Marks an actor finished and closes its span. */
  endActor(actor: Actor, state: 'ok' | 'threw', error?: unknown): void {
    if (actor.state !== 'running' || this.ended) return;
    actor.state = state;
    actor.endedAt = this.now();
    actor.error = error;
    this.trace.close(actor.span, state === 'ok' ? 'ok' : 'error', state === 'ok' ? undefined : { error: describeError(error) });
  }

  /** Starts `fn` as a new actor at the next scheduling point; resolves with its result. */
  spawn<T>(wanted: string, parent: Actor, fn: (actor: Actor) => Promise<T> | T): Promise<T> {
    this.assertLive(parent, `world.spawn("${wanted}")`);
    const actor = this.addActor(wanted, parent);
    this.checkWorkBudget(actor);
    const result = new Promise<T>((resolve, reject) => {
      this.schedule(0, actor, () => {
        let running: Promise<T>;
        try {
          running = Promise.resolve(fn(actor));
        } catch (error) {
          running = Promise.reject(error);
        }
        running.then(
          (value) => {
            this.endActor(actor, 'ok');
            resolve(value);
          },
          (error: unknown) => {
            this.endActor(actor, 'threw', error);
            reject(error);
          },
        );
      });
    });
    // An actor's failure is recorded in the trace; an agent that never awaits the actor should not
    // also get an unhandled-rejection report from Node.
    result.catch(() => undefined);
    actor.completion = result;
    return result;
  }

  /** The step at which progress was last declared (undefined: the agent never declares any). */
  lastProgressStep: number | undefined;
  /** Kernel steps taken so far (the run loop counts them). */
  steps = 0;

  progress(actor: Actor, label?: string): void {
    this.lastProgressStep = this.steps;
    if (label !== undefined) this.trace.record({ type: 'mark', name: 'progress', actor: actor.name, data: { label } });
  }

  /** Why the run went over budget, once it has; the run loop ends the run on it. */
  overBudget: string | undefined;

  /** Ends the run at the next step with outcome `budget`, for `reason`. */
  exceed(reason: string): void {
    if (this.overBudget !== undefined || this.ended) return;
    this.overBudget = reason;
    this.trace.record({ type: 'mark', name: 'budget', data: { reason } });
  }

  /** A deadlock cycle found as it formed; the run loop ends the run on it. */
  deadlock: DeadlockCycle | undefined;

  /** Looks for a cycle of waits through `actor` (after it blocks, or after it is handed a lock). */
  checkDeadlock(actor: Actor): void {
    if (this.deadlock !== undefined) return;
    const cycle = findCycle(actor);
    if (cycle !== undefined) {
      this.deadlock = cycle;
      this.trace.record({ type: 'mark', name: 'deadlock', actor: actor.name, data: { cycle: cycle.sentence, formedAt: cycle.formedAt } });
    }
  }

  /**
   * Crashes an actor, as if its process died: it never runs again. Whatever it was waiting for
   * stays unanswered, locks it held stay held, and its spawner's promise never settles.
   */
  crash(actor: Actor, reason: string): void {
    if (actor.state !== 'running') return;
    actor.state = 'crashed';
    actor.crashReason = reason;
    actor.endedAt = this.now();
    this.trace.record({ type: 'mark', name: 'crash', actor: actor.name, data: { reason } });
    for (const wait of actor.waits) this.trace.close(wait.span, 'crashed');
    this.trace.close(actor.span, 'crashed', { reason });
  }

  /** Virtual time at which the run ended (set by `finish`). */
  endTime = 0;

  /**
   * Ends the run: unfinished calls and actors get their spans closed as `unfinished` (in creation
   * order, so the trace stays deterministic), and world calls from now on are refused.
   */
  finish(outcome: string): void {
    this.endTime = this.now();
    for (const span of this.trace.openSpans()) this.trace.close(span, 'unfinished');
    this.trace.record({ type: 'run.end', outcome });
    this.ended = true;
  }

  /** Remembers credentials seen on a request: from now on they are masked in the trace and in every output. */
  rememberSecrets(values: readonly string[]): void {
    for (const v of values) {
      this.secrets.add(v);
      processSecrets.add(v);
    }
  }

  /** Records something the harness noticed that the agent may have swallowed (an SDK retrying, say). */
  problem(kind: Problem['kind'], message: string, actor: Actor | string | undefined): void {
    const name = typeof actor === 'string' ? actor : actor?.name;
    this.problems.push({ kind, message, actor: name, t: this.now() });
    this.trace.record({ type: 'mark', name: `problem:${kind}`, actor: name, data: { message } });
  }
}

/** A short, deterministic description of an error for the trace. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return safeString(error).slice(0, 500);
  // A network error's useful part is in its cause: `fetch failed (ECONNREFUSED)`.
  let code: unknown;
  try {
    code = (error.cause as { code?: unknown } | undefined)?.code;
  } catch {
    code = undefined;
  }
  return `${errorText(error)}${typeof code === 'string' ? ` (${code})` : ''}`.slice(0, 500);
}
