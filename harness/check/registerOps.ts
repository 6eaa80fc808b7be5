// A history as the linearizability checker sees it: register operations (read, write, cas), grouped
// by (store, key) as Porcupine partitions them, with values interned to small integers so that a
// search state is two numbers and a bitset. Other operations (append, query, …) are not register
// operations and are left out.
import { canonicalJson } from '../sim/canonicalJson.ts';
import { FaultlineError } from '../sim/errors.ts';
import { type HistoryOp, pairOps } from './history.ts';

export const READ = 0;
export const WRITE = 1;
export const CAS = 2;
export type RegisterKind = typeof READ | typeof WRITE | typeof CAS;

/** The interned id of a missing value: the state of a key nobody has written. */
export const MISSING = 0;

export interface RegisterOp {
  readonly kind: RegisterKind;
  /** History index of the invocation: where the op's window opens. */
  readonly call: number;
  /** History index of the completion, or Infinity when the op may or may not have happened. */
  readonly ret: number;
  /** read: the value read; write: the value written; cas: the value expected. Interned. */
  readonly a: number;
  /** cas: the value swapped in. Interned. */
  readonly b: number;
  readonly invoke: HistoryOp;
  readonly complete: HistoryOp | undefined;
}

export interface Partition {
  readonly store: string;
  readonly key: string;
  readonly ops: readonly RegisterOp[];
}

/** Interns values: equal data (by canonical JSON for objects) gets one id; null and undefined are MISSING. */
export class ValueInterner {
  private readonly primitives = new Map<unknown, number>();
  private readonly objects = new Map<string, number>();
  private next = MISSING + 1;

  id(value: unknown): number {
    if (value === undefined || value === null) return MISSING;
    const table = typeof value === 'object' ? this.objects : this.primitives;
    const key = typeof value === 'object' ? canonicalJson(value) : value;
    let id = (table as Map<unknown, number>).get(key);
    if (id === undefined) {
      id = this.next++;
      (table as Map<unknown, number>).set(key, id);
    }
    return id;
  }
}

/**
 * The register operations of `history`, partitioned by (store, key) in order of first appearance.
 * A `fail` completion means the op did not happen, so it is dropped; `info` and still-open ops may
 * or may not have happened, so their window never closes (ret = Infinity) and the search may leave
 * them out. A read whose result is unknown constrains nothing and is dropped too.
 */
export function registerPartitions(history: readonly HistoryOp[], values = new ValueInterner()): Partition[] {
  const partitions = new Map<string, { store: string; key: string; ops: RegisterOp[] }>();
  for (const { invoke, complete } of pairOps(history)) {
    const kind = kindOf(invoke.f);
    if (kind === undefined || complete?.type === 'fail') continue;
    const known = complete !== undefined && complete.type === 'ok';
    if (kind === READ && !known) continue;
    const [a, b] = operands(kind, invoke, complete, values);
    const id = `${invoke.store}\u0000${invoke.key}`;
    let partition = partitions.get(id);
    if (partition === undefined) {
      partition = { store: invoke.store, key: invoke.key, ops: [] };
      partitions.set(id, partition);
    }
    partition.ops.push({ kind, call: invoke.index, ret: known ? complete.index : Infinity, a, b, invoke, complete });
  }
  return [...partitions.values()];
}

function kindOf(f: string): RegisterKind | undefined {
  if (f === 'read') return READ;
  if (f === 'write') return WRITE;
  if (f === 'cas') return CAS;
  return undefined;
}

function operands(kind: RegisterKind, invoke: HistoryOp, complete: HistoryOp | undefined, values: ValueInterner): [number, number] {
  if (kind === READ) return [values.id(complete?.value), MISSING];
  if (kind === WRITE) return [values.id(invoke.value), MISSING];
  const pair = invoke.value;
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `checkLinearizable: cas op ${invoke.op} by ${invoke.process} on ${invoke.key} (history index ${invoke.index}) has value ${canonicalJson(pair)}`,
      todo: 'Record a cas invocation with value [expected, next]',
    });
  }
  return [values.id(pair[0]), values.id(pair[1])];
}
