// Lost updates, as Elle finds them, from read-modify-write cycles. A process's `ok` read of a key
// followed by its next write or cas of that key (with no other `ok` read of the key by that process
// in between) is a read-modify-write (RMW) *based on* the version it read. An RMW that commits
// overwrites every write it did not see, and those writes are lost:
//
// - With created versions (every `ok` write and cas of the key carries `version`): a committed
//   write X is lost to a committed RMW W when base(W) < version(X) < version(W): W replaced a state
//   that already contained X without having read it. That covers the classic case (two RMWs read
//   the same version and both commit; the one that committed first is lost), blind writes that
//   slipped in between, and stale reads (W's read returned a version older than a write that had
//   already committed before the read began). Version order, not completion order, decides which
//   write came first; a write that reuses W's version and completed before W is lost as well.
// - Without created versions, only the classic case can be told apart: of two committed RMWs based
//   on the same version, the one that completed first is lost.
//
// Reads must carry the version they returned; a read of a missing key without a version is based
// on version 0. Only `ok` writes count: a write whose fate is unknown (`info`) proves nothing.

import { type HistoryOp, pairOps, type Verdict, type Violation } from './history.ts';
import { at, formatValue, where } from './wording.ts';

interface Completed {
  readonly invoke: HistoryOp;
  readonly complete: HistoryOp;
}

interface Write extends Completed {
  /** The version this write created, when the store reported it. */
  readonly version: number | undefined;
  /** The read it was based on, when it is an RMW. */
  readonly read: Completed | undefined;
  readonly base: number | undefined;
}

interface KeyWrites {
  readonly store: string;
  readonly key: string;
  readonly writes: Write[];
}

/** Finds committed writes that a committed read-modify-write overwrote without having read them. */
export function checkLostUpdates(history: readonly HistoryOp[]): Verdict {
  const violations: Violation[] = [];
  for (const group of committedWrites(history)) {
    const versioned = group.writes.every((w) => w.version !== undefined);
    violations.push(...(versioned ? byVersion(group) : bySameBase(group)));
  }
  return { valid: violations.length === 0, violations };
}

/** Committed writes per (store, key), each linked to the read it was based on, in completion order. */
function committedWrites(history: readonly HistoryOp[]): KeyWrites[] {
  const lastRead = new Map<string, Completed>();
  const groups = new Map<string, KeyWrites>();
  for (const { invoke, complete } of pairOps(history)) {
    const { f, store, key, process } = invoke;
    const slot = `${process}\u0000${store}\u0000${key}`;
    if (f === 'read') {
      if (complete?.type === 'ok') lastRead.set(slot, { invoke, complete });
      continue;
    }
    if (f !== 'write' && f !== 'cas') continue;
    const read = lastRead.get(slot);
    lastRead.delete(slot);
    if (complete?.type !== 'ok') continue;
    // A read that completed after the write began cannot have informed it.
    const informed = read !== undefined && read.complete.index < invoke.index ? read : undefined;
    const base = informed === undefined ? undefined : baseVersion(informed.complete);
    const id = `${store}\u0000${key}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = { store, key, writes: [] };
      groups.set(id, group);
    }
    group.writes.push({ invoke, complete, version: complete.version, read: base === undefined ? undefined : informed, base });
  }
  for (const group of groups.values()) group.writes.sort((x, y) => x.complete.index - y.complete.index);
  return [...groups.values()];
}

function baseVersion(read: HistoryOp): number | undefined {
  if (read.version !== undefined) return read.version;
  return read.value === undefined || read.value === null ? 0 : undefined;
}

/**
 * Every committed write X with base(W) < version(X) < version(W) for a committed RMW W is lost, and
 * so is one with version(X) = version(W) that completed before W (a store that reused a version).
 */
function byVersion(group: KeyWrites): Violation[] {
  const sorted = [...group.writes].sort((x, y) => (x.version as number) - (y.version as number));
  const versions = sorted.map((w) => w.version as number);
  const skip = new NextUnreported(sorted.length);
  const out: Violation[] = [];
  for (const w of group.writes) {
    if (w.base === undefined) continue;
    // A write the store numbered the same as W, and that completed first, was overwritten too.
    const end = firstAtLeast(versions, (w.version as number) + 1);
    for (let i = skip.find(firstAtLeast(versions, w.base + 1)); i < end; i = skip.find(i + 1)) {
      const x = sorted[i] as Write;
      if (x === w || (x.version === w.version && x.complete.index > w.complete.index)) continue;
      out.push(lostTo(group, x, w));
      skip.report(i);
    }
  }
  return out;
}

/** Without created versions: of RMWs based on one version, each is lost to the next to complete. */
function bySameBase(group: KeyWrites): Violation[] {
  const byBase = new Map<number, Write[]>();
  for (const w of group.writes) {
    if (w.base === undefined) continue;
    const same = byBase.get(w.base) ?? [];
    same.push(w);
    byBase.set(w.base, same);
  }
  const out: Violation[] = [];
  for (const same of byBase.values()) {
    for (let i = 1; i < same.length; i++) out.push(lostTo(group, same[i - 1] as Write, same[i] as Write));
  }
  return out;
}

/** The sentence for `lost` being overwritten by the RMW `w`, worded for how `w` came to miss it. */
function lostTo(group: KeyWrites, lost: Write, w: Write): Violation {
  const read = w.read as Completed;
  const readText = `${w.invoke.process} read version ${w.base} (${formatValue(read.complete.value)}) at ${at(read.complete.t)}`;
  const wrote = `wrote ${written(w)} at ${at(w.complete.t)}`;
  const lostVersion = lost.version === undefined ? '' : ` (version ${lost.version})`;
  const tail = `; ${lost.invoke.process}'s update is lost.`;
  let middle: string;
  if (lost.base !== undefined && lost.base === w.base) {
    middle = `${readText} and ${wrote}, while ${lost.invoke.process}, which also read version ${w.base}, wrote ${written(lost)} at ${at(lost.complete.t)}`;
  } else if (lost.complete.index < read.invoke.index) {
    middle =
      `${readText}, although ${lost.invoke.process}'s write of ${written(lost)}${lostVersion} had committed at ` +
      `${at(lost.complete.t)}, and then ${wrote} over it`;
  } else {
    middle = `${readText} and ${wrote}, while ${lost.invoke.process} wrote ${written(lost)}${lostVersion} at ${at(lost.complete.t)} in between`;
  }
  const ops = [read.invoke, read.complete, w.invoke, w.complete, lost.invoke, lost.complete];
  if (lost.read !== undefined) ops.push(lost.read.invoke, lost.read.complete);
  return {
    message: `Lost update on ${where(group.store, group.key)}: ${middle}${tail}`,
    ops: ops.map((op) => op.index).sort((x, y) => x - y),
    key: group.key,
  };
}

function written(w: Completed): string {
  const value = w.invoke.value;
  return formatValue(w.invoke.f === 'cas' && Array.isArray(value) ? value[1] : value);
}

/** The first index whose version is at least `version`, by binary search over sorted versions. */
function firstAtLeast(versions: readonly number[], version: number): number {
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((versions[mid] as number) < version) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Skips writes already reported lost, so a very stale RMW that spans many writes costs no more
 * than the writes it newly reports (union-find with path halving).
 */
class NextUnreported {
  private readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = Int32Array.from({ length: size + 1 }, (_, i) => i);
  }

  find(i: number): number {
    let node = i;
    while (this.parent[node] !== node) {
      this.parent[node] = this.parent[this.parent[node] as number] as number;
      node = this.parent[node] as number;
    }
    return node;
  }

  report(i: number): void {
    this.parent[i] = i + 1;
  }
}
