// Hand-written histories for the checker tests: invoke an op, then complete it, each at a virtual
// time, exactly as a store wrapper would record them.
import { type HistoryOp, HistoryRecorder } from '../../harness/check/history.ts';

export interface Builder {
  readonly history: readonly HistoryOp[];
  readonly recorder: HistoryRecorder;
  /** Starts an op and returns its id. */
  invoke(process: string, f: string, key: string, value: unknown, t: number, extra?: { store?: string; idempotencyKey?: string }): number;
  /** Completes `op` as ok; a write's result defaults to the value it wrote. */
  ok(op: number, t: number, result?: { value?: unknown; version?: number }): void;
  fail(op: number, t: number): void;
  info(op: number, t: number): void;
}

export function historyBuilder(store = 'kv'): Builder {
  const recorder = new HistoryRecorder();
  const invokes = new Map<number, HistoryOp>();
  const complete = (op: number, type: 'ok' | 'fail' | 'info', t: number, result?: { value?: unknown; version?: number }): void => {
    const invoke = invokes.get(op);
    if (invoke === undefined) throw new Error(`no op ${op} was invoked`);
    const { process, store: opStore, f, key } = invoke;
    const value = result !== undefined && 'value' in result ? result.value : f === 'read' ? undefined : invoke.value;
    const payload = type === 'ok' ? { value, ...(result?.version === undefined ? {} : { version: result.version }) } : {};
    recorder.complete(op, type, { process, store: opStore, f, key, t, ...payload });
  };
  return {
    get history() {
      return recorder.ops;
    },
    recorder,
    invoke(process, f, key, value, t, extra = {}) {
      const idempotency = extra.idempotencyKey === undefined ? {} : { idempotencyKey: extra.idempotencyKey };
      const entry = { process, store: extra.store ?? store, f, key, value, t, ...idempotency };
      const op = recorder.invoke(entry);
      invokes.set(op, recorder.ops[recorder.ops.length - 1] as HistoryOp);
      return op;
    },
    ok: (op, t, result) => complete(op, 'ok', t, result),
    fail: (op, t) => complete(op, 'fail', t),
    info: (op, t) => complete(op, 'info', t),
  };
}
