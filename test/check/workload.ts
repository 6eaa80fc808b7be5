// Register workloads for the checker tests and the checker benchmark. A workload is plain data (a
// list of steps), executed one step at a time against an in-memory map, so the execution is correct
// by construction; each op then gets a window around its place in that sequence. Any such history
// is linearizable, and, when clients do their read-modify-writes with cas, free of lost updates.
import type { HistoryOp } from '../../harness/check/history.ts';

export type StepKind = 'read' | 'write' | 'cas' | 'append';

/** ok: happened and acknowledged; fail: did not happen; info-*: fate unknown to the client; open: never completes. */
export type Fate = 'ok' | 'fail' | 'info-applied' | 'info-dropped' | 'open';

export interface Step {
  readonly process: number;
  readonly key: number;
  readonly kind: StepKind;
  readonly fate: Fate;
  /** How far the invocation reaches back towards the process's previous op, in percent (0–100). */
  readonly lead: number;
  /** How far the completion reaches towards the process's next op, in percent (0–100). */
  readonly lag: number;
}

export interface WorkloadOptions {
  /** A client writes blindly even after reading (the lost-update bug); otherwise it uses cas. */
  readonly naiveWrites?: boolean;
  /** Every op's invocation is immediately followed by its completion. */
  readonly serial?: boolean;
}

export interface Workload {
  readonly history: HistoryOp[];
  /** Op ids of acknowledged writes that an acknowledged blind read-modify-write overwrote unseen. */
  readonly lostOps: Set<number>;
}

interface Executed {
  readonly step: Step;
  readonly op: number;
  readonly f: string;
  readonly arg: unknown;
  /** The completion's type, or undefined for an op that never completes. */
  readonly type: 'ok' | 'fail' | 'info' | undefined;
  readonly result: unknown;
  readonly version: number | undefined;
}

const SPACING = 100;

/** Executes `steps` one at a time and records the history with windows around each op. */
export function runWorkload(steps: readonly Step[], options: WorkloadOptions = {}): Workload {
  const { executed, lostOps } = execute(steps, options.naiveWrites ?? false);
  return { history: record(executed, options.serial ?? false), lostOps };
}

function execute(steps: readonly Step[], naive: boolean): { executed: Executed[]; lostOps: Set<number> } {
  const values = new Map<number, { value: number; version: number }>();
  const lastRead = new Map<string, { value: number | undefined; committedBefore: number }>();
  // Acknowledged writes per key, in order: an RMW loses every one committed after its read.
  const committedWrites = new Map<number, number[]>();
  const executed: Executed[] = [];
  const lostOps = new Set<number>();
  let fresh = 0;
  steps.forEach((step, op) => {
    const slot = `${step.process}/${step.key}`;
    const current = values.get(step.key);
    const applies = step.fate === 'ok' || step.fate === 'info-applied' || step.fate === 'open';
    const type = step.fate === 'ok' ? 'ok' : step.fate === 'fail' ? 'fail' : step.fate === 'open' ? undefined : 'info';
    if (step.kind === 'read' || step.kind === 'append') {
      const ok = step.fate === 'ok' && step.kind === 'read';
      if (ok) lastRead.set(slot, { value: current?.value, committedBefore: committedWrites.get(step.key)?.length ?? 0 });
      executed.push({ step, op, f: step.kind, arg: undefined, type, result: current?.value, version: current?.version ?? 0 });
      return;
    }
    const read = lastRead.get(slot);
    lastRead.delete(slot);
    const next = ++fresh;
    // A careful client turns a write after a read into a cas on the value it read.
    const asCas = step.kind === 'cas' || (read !== undefined && !naive);
    const swapped = !asCas || current?.value === read?.value;
    const happened = applies && swapped;
    const version = (current?.version ?? 0) + 1;
    if (happened) values.set(step.key, { value: next, version });
    const committed = happened && type === 'ok';
    const writes = committedWrites.get(step.key) ?? [];
    committedWrites.set(step.key, writes);
    if (committed && read !== undefined) for (const lost of writes.slice(read.committedBefore)) lostOps.add(lost);
    if (committed) writes.push(op);
    const outcome = asCas && !swapped && type === 'ok' ? 'fail' : type;
    executed.push({
      step,
      op,
      f: asCas ? 'cas' : 'write',
      arg: asCas ? [read?.value, next] : next,
      type: outcome,
      result: outcome === 'ok' ? next : undefined,
      version: outcome === 'ok' ? version : undefined,
    });
  });
  return { executed, lostOps };
}

/** Lays each op's window around its point `(i + 1) * SPACING`, never overlapping its own process's ops. */
function record(executed: readonly Executed[], serial: boolean): HistoryOp[] {
  const { before, after } = gaps(executed);
  // Plain literals rather than spreads: on Node 20 spreading 20,000 small objects costs ~100 ms.
  const events: Array<{ -readonly [K in keyof HistoryOp]: HistoryOp[K] }> = [];
  executed.forEach((e, i) => {
    const point = (i + 1) * SPACING;
    // Each side reaches under half-way to the process's neighbouring op, so its ops never overlap.
    const invokeT = serial ? point : point - Math.floor(((before[i] as number) * 0.49 * e.step.lead) / 100);
    const completeT = serial ? point : point + Math.floor(((after[i] as number) * 0.49 * e.step.lag) / 100);
    const process = `p${e.step.process}`;
    const key = `k${e.step.key}`;
    events.push({ index: 0, op: e.op, type: 'invoke', process, store: 'kv', f: e.f, key, value: e.arg, t: invokeT });
    if (e.type === undefined) return;
    const value = e.type !== 'ok' ? undefined : e.f === 'read' ? e.result : e.arg;
    events.push({ index: 0, op: e.op, type: e.type, process, store: 'kv', f: e.f, key, value, version: e.type === 'ok' ? e.version : undefined, t: completeT });
  });
  // A stable sort keeps each invocation before its own completion when both fall at the same time.
  events.sort((x, y) => x.t - y.t);
  events.forEach((event, index) => (event.index = index));
  return events;
}

/** The room between each op's point and its own process's previous and next ops' points. */
function gaps(executed: readonly Executed[]): { before: number[]; after: number[] } {
  const before: number[] = [];
  const after = executed.map(() => SPACING * 10);
  const last = new Map<number, number>();
  executed.forEach((e, i) => {
    const previous = last.get(e.step.process);
    before.push(previous === undefined ? (i + 1) * SPACING : (i - previous) * SPACING);
    if (previous !== undefined) after[previous] = (i - previous) * SPACING;
    last.set(e.step.process, i);
  });
  return { before, after };
}
