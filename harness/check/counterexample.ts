// Shrinking a non-linearizable partition to a small set of ops that cannot be ordered, and saying
// so in one sentence. Two facts make the shrinking sound:
// - Linearizability is prefix-closed: cut a linearizable history at any event, treat the ops still
//   open there as may-or-may-not-have-happened, and it stays linearizable. So the shortest failing
//   prefix is itself a proof, and it ends at the completion of the op that could not be placed.
// - A subset S of ops is linearizable whenever the whole is, provided S keeps, for every value a
//   read or cas in S observed, every op that could have produced that value (restrict a whole
//   linearization to S: each read still follows the write it read from). So removing ops one at a
//   time while keeping that closure, and keeping only removals after which S still fails, ends at
//   a small set whose failure implies the failure of the whole history.

import { CAS, MISSING, type Partition, READ, type RegisterOp, WRITE } from './registerOps.ts';
import { searchLinearization } from './wgl.ts';
import { at, formatValue, listing, timeWindow, where } from './wording.ts';

/** Removal passes over the counterexample: each pass can free the writers of a read it removed. */
const MAX_PASSES = 4;

/** A sentence names at most this many operations. */
const MAX_NAMED = 10;

/**
 * A small subset of `partition.ops` that is not linearizable on its own, found with at most about
 * `budget` search states in total. Ops are returned in call order, with their original windows.
 */
export function shrinkCounterexample(partition: Partition, maxStates: number, budget: number): RegisterOp[] {
  let spent = 0;
  const fails = (ops: readonly RegisterOp[]): boolean => {
    if (spent > budget) return false;
    const outcome = searchLinearization(ops, maxStates);
    spent += outcome.states;
    return outcome.result === 'fail';
  };
  let ops = shortestFailingPrefix(partition.ops, fails);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = ops.length;
    ops = removeUnneeded(ops, fails);
    if (ops.length === before) break;
  }
  return ops;
}

function shortestFailingPrefix(ops: readonly RegisterOp[], fails: (ops: readonly RegisterOp[]) => boolean): RegisterOp[] {
  const cuts = ops
    .filter((op) => op.ret !== Infinity)
    .map((op) => op.ret)
    .sort((x, y) => x - y);
  let lo = 0;
  let hi = cuts.length - 1;
  // The whole partition fails, so the last cut is a failing prefix even if the budget runs out.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fails(prefixAt(ops, cuts[mid] as number))) hi = mid;
    else lo = mid + 1;
  }
  return prefixAt(ops, cuts[hi] as number);
}

/** The ops of the history cut just after event `cut`: later calls vanish, open windows never close. */
function prefixAt(ops: readonly RegisterOp[], cut: number): RegisterOp[] {
  const out: RegisterOp[] = [];
  for (const op of ops) {
    if (op.call > cut) continue;
    if (op.ret <= cut) out.push(op);
    else if (op.kind !== READ) out.push({ ...op, ret: Infinity });
  }
  return out;
}

/** One pass, latest call first, removing each op whose removal keeps the set closed and failing. */
function removeUnneeded(ops: readonly RegisterOp[], fails: (ops: readonly RegisterOp[]) => boolean): RegisterOp[] {
  let kept = [...ops];
  const consumers = new Map<number, number>();
  for (const op of kept) if (op.kind !== WRITE) consumers.set(op.a, (consumers.get(op.a) ?? 0) + 1);
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i] as RegisterOp;
    const produced = producedValue(op);
    const ownUse = op.kind === CAS && op.a === produced ? 1 : 0;
    if ((consumers.get(produced) ?? 0) - ownUse > 0) continue;
    const without = kept.filter((other) => other !== op);
    if (!fails(without)) continue;
    kept = without;
    if (op.kind !== WRITE) consumers.set(op.a, (consumers.get(op.a) ?? 0) - 1);
  }
  return kept;
}

/** The value an op leaves in the register; a read leaves none, which no consumer waits for. */
function producedValue(op: RegisterOp): number {
  if (op.kind === READ) return -1;
  return op.kind === CAS ? op.b : op.a;
}

/** The one-sentence explanation of a counterexample, with a plainer wording for a stale read. */
export function describeCounterexample(partition: Partition, ops: readonly RegisterOp[]): string {
  const place = where(partition.store, partition.key);
  const stale = staleRead(ops);
  if (stale !== undefined) {
    const { read, overwrite, writer } = stale;
    const after = writer === undefined ? '' : ` after ${writer.invoke.process}'s ${change(writer)} (${opWindow(writer)}) and`;
    return (
      `Stale read on ${place}: ${read.invoke.process} read ${value(read)} (${opWindow(read)}), although ` +
      `${overwrite.invoke.process}'s ${change(overwrite)} had completed at ` +
      `${at(overwrite.complete?.t ?? overwrite.invoke.t)},${after} before the read began.`
    );
  }
  const only = ops.length === 1 ? ops[0] : undefined;
  if (only !== undefined && only.kind !== WRITE) {
    // Closure keeps every producer of an observed value, so a lone survivor had none before its cut.
    const observed = only.kind === READ ? value(only) : formatValue((only.invoke.value as [unknown, unknown])[0]);
    const what = only.kind === READ ? 'read' : 'cas';
    return (
      `Impossible ${what} on ${place}: ${describeOp(only)}` +
      `${only.kind === CAS ? ' succeeded' : ''}, but no write or cas had begun to produce ${observed} before it completed.`
    );
  }
  // A long counterexample names its first operations; the violation's `ops` lists every one.
  const named = ops.length <= MAX_NAMED ? ops.map(describeOp) : [...ops.slice(0, MAX_NAMED - 1).map(describeOp), `${ops.length - MAX_NAMED + 1} more`];
  return (
    `Not linearizable on ${place}: no single order of these ${ops.length} operations fits both a register and their ` + `real-time windows — ${listing(named)}.`
  );
}

/** `planner wrote 1 (t=0–2ms)`, `executor read nothing (t=3–4ms)`, `p2 cas 1→2 (t=5ms–?, outcome unknown)`. */
export function describeOp(op: RegisterOp): string {
  const unknown = op.complete?.type === 'ok' ? '' : ', outcome unknown';
  const span = `(${opWindow(op)}${unknown})`;
  if (op.kind === READ) return `${op.invoke.process} read ${value(op)} ${span}`;
  if (op.kind === CAS) {
    const [expected, next] = op.invoke.value as [unknown, unknown];
    return `${op.invoke.process} cas ${formatValue(expected)}→${formatValue(next)} ${span}`;
  }
  return `${op.invoke.process} wrote ${value(op)} ${span}`;
}

/**
 * Matches the commonest counterexample: a read, one completed write of another value that ended
 * before the read began, and at most one earlier writer of the value read.
 */
function staleRead(ops: readonly RegisterOp[]): { read: RegisterOp; overwrite: RegisterOp; writer: RegisterOp | undefined } | undefined {
  const reads = ops.filter((op) => op.kind === READ);
  if (reads.length !== 1 || ops.length > 3) return undefined;
  const read = reads[0] as RegisterOp;
  const overwrites = ops.filter((op) => op !== read && op.ret !== Infinity && producedValue(op) !== read.a && op.ret < read.call);
  const writers = ops.filter((op) => op !== read && producedValue(op) === read.a);
  if (overwrites.length !== 1 || writers.length + 2 !== ops.length) return undefined;
  const overwrite = overwrites[0] as RegisterOp;
  const writer = writers[0];
  if (writer === undefined ? read.a !== MISSING : writer.ret === Infinity || writer.ret > overwrite.call) return undefined;
  return { read, overwrite, writer };
}

function value(op: RegisterOp): string {
  return formatValue(op.kind === READ ? op.complete?.value : op.invoke.value);
}

/** `write of 2` or `cas 1→2`. */
function change(op: RegisterOp): string {
  if (op.kind !== CAS) return `write of ${value(op)}`;
  const [expected, next] = op.invoke.value as [unknown, unknown];
  return `cas ${formatValue(expected)}→${formatValue(next)}`;
}

function opWindow(op: RegisterOp): string {
  // The original window, even for an op the shrinking treated as still open at its cut.
  return timeWindow(op.invoke.t, op.complete?.t);
}
