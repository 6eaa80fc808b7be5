// Every store operation is a yield point whose request and response halves are scheduled
// separately, so two actors' writes can reach a store in either order. This is where store faults
// happen (an error, a partial write, a crash between writes, a lost acknowledgement, a duplicate
// delivery, a stale read from a lagging replica) and where the Jepsen-style history is recorded.

import type { HistoryRecorder } from '../../check/history.ts';
import { type FaultInjector, firstOf } from '../../faults/injector.ts';
import type { FaultKind } from '../../faults/plan.ts';
import type { Actor } from '../../sim/actors.ts';
import { digest } from '../../sim/digest.ts';
import { safeString } from '../../sim/errors.ts';
import type { Kernel } from '../../sim/kernel.ts';
import { type LatencyModel, sampleLatency } from '../../sim/latency.ts';
import type { RandomStream } from '../../sim/rng.ts';

/** What every store of a run shares. */
export interface StoreContext {
  readonly kernel: Kernel;
  readonly injector: FaultInjector;
  readonly history: HistoryRecorder;
  /** One-way latency of each half of a store call. */
  readonly latency: LatencyModel;
}

/** Why a store call failed: `failed` certainly did not apply; the others may have. */
export class StoreError extends Error {
  constructor(
    readonly store: string,
    readonly reason: 'failed' | 'partial-write' | 'lost-ack' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }

  /** True when the write may have been applied even though the call failed. */
  get indeterminate(): boolean {
    return this.reason === 'partial-write' || this.reason === 'lost-ack';
  }
}

export interface ApplyContext {
  /** For reads: serve the state as of this many virtual milliseconds ago (a lagging replica). */
  readonly lagMs: number;
  /** For multi-part writes: apply only this share of the parts, then fail. */
  readonly keepFraction: number | undefined;
  /** The history op, for effect records. */
  readonly op: number;
}

export interface Applied<T> {
  readonly result: T;
  /** The version read or written, for the history. */
  readonly version?: number;
  /** The value to record on the completion (default: the result). */
  readonly recorded?: unknown;
}

export interface OpSpec<T> {
  readonly store: string;
  readonly actor: Actor;
  readonly f: string;
  readonly key: string;
  readonly value?: unknown;
  readonly write: boolean;
  readonly idempotencyKey?: string | undefined;
  apply(context: ApplyContext): Applied<T> | Promise<Applied<T>>;
}

const READ_KINDS: FaultKind[] = ['latency', 'error', 'hang', 'stale-read'];
const WRITE_KINDS: FaultKind[] = ['latency', 'error', 'hang', 'partial-write', 'crash', 'lost-ack', 'duplicate'];

export function runStoreOp<T>(ctx: StoreContext, spec: OpSpec<T>, stream: RandomStream): Promise<T> {
  const { kernel, history } = ctx;
  const { actor, store, f, key } = spec;
  const base = { process: actor.name, store, f, key, ...(spec.idempotencyKey === undefined ? {} : { idempotencyKey: spec.idempotencyKey }) };
  const op = history.invoke({ ...base, value: spec.value, t: kernel.now() });
  const target = `store:${store}`;
  const call = kernel.call<Applied<T>>(
    {
      actor,
      kind: 'store',
      target,
      what: `${store}.${f}(${key})`,
      data: spec.value === undefined ? { store, f, key } : { store, f, key, value: digest(spec.value) },
      summarize: (applied) => ({ result: digest(applied.recorded ?? applied.result) }),
    },
    { requestMs: sampleLatency(ctx.latency, stream), responseMs: sampleLatency(ctx.latency, stream) },
    async (serving) => {
      const hits = ctx.injector.decide(target, actor.name, spec.write ? WRITE_KINDS : READ_KINDS, serving.span);
      for (const hit of hits) if (hit.kind === 'latency') await kernel.delay(actor, sampleLatency(hit.params.latency, stream));
      if (firstOf(hits, 'hang') !== undefined) return new Promise<Applied<T>>(() => undefined);
      const failed = firstOf(hits, 'error');
      if (failed !== undefined) throw new StoreError(store, 'failed', `${store}.${f}(${key}) failed: ${failed.params.message}`);
      const partial = firstOf(hits, 'partial-write');
      const applied = await spec.apply({ lagMs: firstOf(hits, 'stale-read')?.params.lagMs ?? 0, keepFraction: partial?.params.keepFraction, op });
      if (partial !== undefined) throw new StoreError(store, 'partial-write', `${store}.${f}(${key}) was interrupted after part of the write was applied`);
      if (firstOf(hits, 'duplicate') !== undefined) await spec.apply({ lagMs: 0, keepFraction: undefined, op });
      if (firstOf(hits, 'crash') !== undefined) {
        kernel.crash(actor, `crashed right after ${store}.${f}(${key}) was applied`);
        return new Promise<Applied<T>>(() => undefined);
      }
      if (firstOf(hits, 'lost-ack') !== undefined) throw new StoreError(store, 'lost-ack', `${store}.${f}(${key}) timed out waiting for the acknowledgement`);
      return applied;
    },
  );
  return call.then(
    (applied) => {
      history.complete(op, 'ok', {
        ...base,
        value: applied.recorded ?? applied.result,
        ...(applied.version === undefined ? {} : { version: applied.version }),
        t: kernel.now(),
      });
      return applied.result;
    },
    (error: unknown) => {
      // Only a certain failure is `fail`; anything else (a lost ack, an abort, a crash) may have applied.
      const type = error instanceof StoreError && !error.indeterminate ? 'fail' : 'info';
      history.complete(op, type, { ...base, value: error instanceof Error ? safeString(error.message) : safeString(error), t: kernel.now() });
      throw error;
    },
  );
}
