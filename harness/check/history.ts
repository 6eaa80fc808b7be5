// Histories: what the stores saw, as Jepsen records it. Every store operation is an `invoke` event
// when a client starts it and a completion when the client learns its fate: `ok` (it happened),
// `fail` (it certainly did not), or `info` (it may have: a lost acknowledgement, a crash). The
// checkers in this folder are pure functions over histories.

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

export interface HistoryOp {
  /** Position in the history, from 0. */
  readonly index: number;
  /** Pairs an invocation with its completion. */
  readonly op: number;
  readonly type: OpType;
  /** The actor (process, in Jepsen's words) that made the call. */
  readonly process: string;
  readonly store: string;
  /** The operation: `read`, `write`, `cas`, `append`, `delete`, `query`, … */
  readonly f: string;
  /** The entity the operation is about ('' for whole-store operations). */
  readonly key: string;
  /**
   * invoke: the argument (the value written; `[expected, next]` for cas).
   * ok: the result (the value read; for writes, the value written).
   */
  readonly value?: unknown;
  /** The version of `key` read (for reads) or created (for writes), as the store numbers them. */
  readonly version?: number;
  /** The client's idempotency key, when it gave one. */
  readonly idempotencyKey?: string;
  /** Virtual milliseconds. */
  readonly t: number;
}

/**
 * Effects: what a store actually applied, which a client may not know (a write applied twice after a
 * duplicate delivery, a write applied whose acknowledgement was lost). The idempotency checker reads
 * these; they are ground truth only a simulator has.
 */
export interface Effect {
  readonly store: string;
  readonly key: string;
  readonly f: string;
  /** The history op that caused it. */
  readonly op: number;
  readonly idempotencyKey?: string;
  readonly value?: unknown;
  readonly t: number;
  /**
   * False when this application changed nothing in the store (a redelivered delete of a key already
   * gone, the same value written again): it is not an effect, whatever ran.
   */
  readonly changed?: false;
}

/** A checker's answer: valid, or not with each violation explained in a sentence with its ops. */
export interface Verdict {
  readonly valid: boolean;
  readonly violations: readonly Violation[];
}

export interface Violation {
  /** One sentence, naming the operations involved. */
  readonly message: string;
  /** The history ops (by index) involved. */
  readonly ops: readonly number[];
  readonly key?: string;
}

/** Records invocations and completions as they happen. */
export class HistoryRecorder {
  readonly ops: HistoryOp[] = [];
  readonly effects: Effect[] = [];
  private nextOp = 0;

  invoke(entry: Omit<HistoryOp, 'index' | 'op' | 'type'>): number {
    const op = this.nextOp++;
    this.ops.push({ ...entry, index: this.ops.length, op, type: 'invoke' });
    return op;
  }

  complete(op: number, type: Exclude<OpType, 'invoke'>, entry: Omit<HistoryOp, 'index' | 'op' | 'type'>): void {
    this.ops.push({ ...entry, index: this.ops.length, op, type });
  }

  effect(effect: Effect): void {
    this.effects.push(effect);
  }
}

/** Pairs each invocation with its completion (undefined while the op is still open). */
export function pairOps(history: readonly HistoryOp[]): Array<{ invoke: HistoryOp; complete: HistoryOp | undefined }> {
  const open = new Map<number, { invoke: HistoryOp; complete: HistoryOp | undefined }>();
  const out: Array<{ invoke: HistoryOp; complete: HistoryOp | undefined }> = [];
  for (const h of history) {
    if (h.type === 'invoke') {
      const pair = { invoke: h, complete: undefined };
      open.set(h.op, pair);
      out.push(pair);
    } else {
      const pair = open.get(h.op);
      if (pair !== undefined) pair.complete = h;
    }
  }
  return out;
}
