// Linearizability of register operations (read, write, cas), checked per (store, key) as Porcupine
// does: a history is linearizable exactly when each key's sub-history is, and searching keys apart
// is orders of magnitude faster than searching the whole. Each partition gets a Wing & Gong search
// with Lowe's memoization (wgl.ts); a failing partition is shrunk to a small set of ops that cannot
// be ordered (counterexample.ts).
//
// Semantics: `ok` ops happened inside their window; `fail` ops did not happen and are dropped;
// `info` ops and ops still open at the end may have happened at any time after their call, or not
// at all. A read of a key nobody wrote returns undefined or null. Other ops (append, query, …) are
// ignored. A cas's `fail` means "not swapped" and, as in Knossos, constrains nothing.
import { FaultlineError } from '../sim/errors.ts';
import { describeCounterexample, shrinkCounterexample } from './counterexample.ts';
import type { HistoryOp, Verdict, Violation } from './history.ts';
import { type Partition, type RegisterOp, registerPartitions } from './registerOps.ts';
import { searchLinearization } from './wgl.ts';
import { where } from './wording.ts';

export interface LinearizabilityOptions {
  /**
   * The search of one (store, key) partition stops after visiting this many distinct (linearized
   * set, register state) pairs, and the partition is reported as unknown. Default 100,000: a
   * partition of a few hundred ops from a handful of processes needs about one state per op.
   */
  readonly maxStatesPerPartition?: number;
  /** Shrink each counterexample to a small set of ops that cannot be ordered. Default true. */
  readonly minimize?: boolean;
}

/**
 * `valid`: every partition has a linearization. `invalid`: at least one violation. `unknown`: no
 * violation was found, but some partition hit the search bound, so nothing is proven for it.
 */
export type LinearizabilityOutcome = 'valid' | 'invalid' | 'unknown';

/** A partition whose search hit `maxStatesPerPartition` before it found an order or ran out of them. */
export interface UnknownPartition {
  readonly store: string;
  readonly key: string;
  readonly states: number;
  /** One sentence saying what was not proven and how to decide it. */
  readonly message: string;
}

/**
 * A Verdict with a third outcome. `valid` is true only when the outcome is `valid`, so a bounded
 * search never passes a check by default: an `unknown` verdict has `valid: false`, no violations,
 * and its partitions listed in `unknown`.
 */
export interface LinearizabilityVerdict extends Verdict {
  readonly outcome: LinearizabilityOutcome;
  readonly unknown: readonly UnknownPartition[];
  readonly stats: { readonly partitions: number; readonly ops: number; readonly states: number };
}

interface QualifiedOptions {
  readonly maxStatesPerPartition: number;
  readonly minimize: boolean;
}

/** Shrinking may spend this many times a partition's bound across all of its re-checks. */
const SHRINK_BUDGET_FACTOR = 10;

/** Checks that every (store, key) register in `history` is linearizable. */
export function checkLinearizable(history: readonly HistoryOp[], options: LinearizabilityOptions = {}): LinearizabilityVerdict {
  const qualified = qualify(options);
  const violations: Violation[] = [];
  const unknown: UnknownPartition[] = [];
  let ops = 0;
  let states = 0;
  const partitions = registerPartitions(history);
  for (const partition of partitions) {
    ops += partition.ops.length;
    const outcome = searchLinearization(partition.ops, qualified.maxStatesPerPartition);
    states += outcome.states;
    if (outcome.result === 'fail') violations.push(violationOf(partition, qualified));
    else if (outcome.result === 'unknown') unknown.push(unknownOf(partition, outcome.states));
  }
  const outcome: LinearizabilityOutcome = violations.length > 0 ? 'invalid' : unknown.length > 0 ? 'unknown' : 'valid';
  return { valid: outcome === 'valid', outcome, violations, unknown, stats: { partitions: partitions.length, ops, states } };
}

function qualify(options: LinearizabilityOptions): QualifiedOptions {
  const maxStatesPerPartition = options.maxStatesPerPartition ?? 100_000;
  if (!Number.isInteger(maxStatesPerPartition) || maxStatesPerPartition < 1) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `checkLinearizable: maxStatesPerPartition must be a positive integer (got ${String(maxStatesPerPartition)})`,
      todo: 'Pass a bound such as 100000, or leave it out for the default',
    });
  }
  return { maxStatesPerPartition, minimize: options.minimize ?? true };
}

function violationOf(partition: Partition, options: QualifiedOptions): Violation {
  const ops = options.minimize
    ? shrinkCounterexample(partition, options.maxStatesPerPartition, options.maxStatesPerPartition * SHRINK_BUDGET_FACTOR)
    : [...partition.ops];
  return { message: describeCounterexample(partition, ops), ops: historyIndices(ops), key: partition.key };
}

function unknownOf(partition: Partition, states: number): UnknownPartition {
  return {
    store: partition.store,
    key: partition.key,
    states,
    message:
      `Linearizability of ${where(partition.store, partition.key)} is unknown: the search over its ${partition.ops.length} ` +
      `operations stopped after ${states} states; raise maxStatesPerPartition or record fewer concurrent or unacknowledged operations.`,
  };
}

/** The history indices of the ops' invocations and completions, in order. */
function historyIndices(ops: readonly RegisterOp[]): number[] {
  const out: number[] = [];
  for (const op of ops) {
    out.push(op.invoke.index);
    if (op.complete !== undefined) out.push(op.complete.index);
  }
  return out.sort((x, y) => x - y);
}
