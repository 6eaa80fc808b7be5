// Every store operation is a yield point whose request and response halves are scheduled
// separately, so two actors' writes can reach a store in either order. This is where store faults
// happen (an error, a partial write, a crash between writes, a lost acknowledgement, a duplicate
// delivery, a stale read from a lagging replica) and where the Jepsen-style history is recorded.

import type { HistoryRecorder } from '../../check/history.ts';
import { type FaultInjector, firstOf, type Hit } from '../../faults/injector.ts';
import type { FaultKind } from '../../faults/plan.ts';
import type { Actor } from '../../sim/actors.ts';
import { canonicalJson } from '../../sim/canonicalJson.ts';
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
  /** Set on a repeated application that changed nothing in the store. */
  readonly unchanged?: boolean;
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
// A lost acknowledgement needs a write to have applied; reads keep the kinds above.

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
      for (const hit of hits) {
        if (hit.kind !== 'latency') continue;
        const ms = sampleLatency(hit.params.latency, stream);
        if (ms > 0) hit.effect({ ms });
        await kernel.delay(actor, ms);
      }
      const hang = firstOf(hits, 'hang');
      if (hang !== undefined) {
        hang.effect();
        return new Promise<Applied<T>>(() => undefined);
      }
      const failed = firstOf(hits, 'error');
      if (failed !== undefined) {
        failed.effect({ message: failed.params.message });
        throw new StoreError(store, 'failed', `${store}.${f}(${key}) failed: ${failed.params.message}`);
      }
      const partial = firstOf(hits, 'partial-write');
      const applied = await applyMaybeStale(spec, hits, op);
      if (partial !== undefined) {
        partial.effect({ keepFraction: partial.params.keepFraction });
        throw new StoreError(store, 'partial-write', `${store}.${f}(${key}) was interrupted after part of the write was applied`);
      }
      const duplicate = firstOf(hits, 'duplicate');
      if (duplicate !== undefined) {
        // The second delivery's answer goes nowhere: the client already has the first one's.
        let again: Applied<T> | undefined;
        try {
          again = await spec.apply({ lagMs: 0, keepFraction: undefined, op });
        } catch (error) {
          duplicate.noEffect(`the store rejected the second ${f}: ${error instanceof Error ? error.message : String(error)}`);
        }
        if (again?.unchanged === true) duplicate.noEffect(`applying ${f} a second time changed nothing in the store`);
        else if (again !== undefined) duplicate.effect();
      }
      const crash = firstOf(hits, 'crash');
      if (crash !== undefined) {
        crash.effect();
        kernel.crash(actor, `crashed right after ${store}.${f}(${key}) was applied`);
        return new Promise<Applied<T>>(() => undefined);
      }
      const lost = firstOf(hits, 'lost-ack');
      if (lost !== undefined) {
        lost.effect({ mode: lost.params.mode, ...(lost.params.mode === 'late' ? { lateMs: lost.params.lateMs } : {}) });
        if (lost.params.mode === 'reset') throw new StoreError(store, 'lost-ack', `${store}.${f}(${key}) timed out waiting for the acknowledgement`);
        await kernel.delay(actor, lost.params.lateMs);
      }
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

/** A read served by a lagging replica when a stale-read rule hit; marked only when it differs from the current state. */
async function applyMaybeStale<T>(spec: OpSpec<T>, hits: readonly Hit[], op: number): Promise<Applied<T>> {
  const partial = firstOf(hits, 'partial-write');
  const stale = firstOf(hits, 'stale-read');
  if (stale === undefined || spec.write) return spec.apply({ lagMs: 0, keepFraction: partial?.params.keepFraction, op });
  const current = await spec.apply({ lagMs: 0, keepFraction: undefined, op });
  const lagged = await spec.apply({ lagMs: stale.params.lagMs, keepFraction: undefined, op });
  if (canonicalJson(lagged.recorded ?? lagged.result ?? null) === canonicalJson(current.recorded ?? current.result ?? null)) {
    stale.noEffect(`the state ${stale.params.lagMs} ms ago was the same as now`);
    return current;
  }
  stale.effect({ lagMs: stale.params.lagMs });
  return lagged;
}
