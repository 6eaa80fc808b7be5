// The Wing & Gong linearizability search with Lowe's memoization, as Porcupine runs it on each
// partition. The history is a doubly linked list of call and return entries in real-time order.
// Walking from the front, a call entry whose op the register accepts in the current state is
// "lifted" (its call and return leave the list) and the walk restarts; reaching a return entry means
// every op that could precede it has been tried, so the search backtracks. A (linearized set, state)
// pair seen before leads nowhere new, so it is cached and skipped: that is what keeps the search
// near-linear on histories with a handful of concurrent processes.
import { CAS, MISSING, READ, type RegisterOp } from './registerOps.ts';

export type SearchResult = 'ok' | 'fail' | 'unknown';

export interface SearchOutcome {
  readonly result: SearchResult;
  /** Distinct (linearized set, state) pairs the search visited. */
  readonly states: number;
}

type SearchOp = Pick<RegisterOp, 'kind' | 'call' | 'ret' | 'a' | 'b'>;

const NIL = -1;
const HEAD = 0;

/**
 * Whether `ops` (one partition) can be linearized against a register that starts out missing. Ops
 * whose `ret` is Infinity may be linearized anywhere after their call, or not at all. The search
 * stops with 'unknown' once it has visited more than `maxStates` states.
 */
export function searchLinearization(ops: readonly SearchOp[], maxStates: number): SearchOutcome {
  let remaining = 0;
  for (const op of ops) if (op.ret !== Infinity) remaining++;
  if (remaining === 0) return { result: 'ok', states: 0 };
  const list = buildList(ops);
  const { next, isCall, opOf, callNode } = list;
  const bits = new Uint32Array((ops.length + 31) >>> 5);
  const cache = new StateCache();
  const stackOp = new Int32Array(ops.length);
  const stackState = new Int32Array(ops.length);
  let depth = 0;
  let state = MISSING;
  let hash = 0;
  let entry = next[HEAD] as number;
  for (;;) {
    if (isCall[entry] === 1) {
      const i = opOf[entry] as number;
      const op = ops[i] as SearchOp;
      const after = step(op, state);
      if (after !== NIL) {
        const h = (hash ^ zobrist(i)) >>> 0;
        bits[i >>> 5] = (bits[i >>> 5] as number) | (1 << (i & 31));
        if (cache.add(bits, h, after)) {
          if (cache.size > maxStates) return { result: 'unknown', states: cache.size };
          stackOp[depth] = i;
          stackState[depth] = state;
          depth++;
          state = after;
          hash = h;
          list.lift(i);
          if (op.ret !== Infinity && --remaining === 0) return { result: 'ok', states: cache.size };
          entry = next[HEAD] as number;
          continue;
        }
        bits[i >>> 5] = (bits[i >>> 5] as number) & ~(1 << (i & 31));
      }
      entry = next[entry] as number;
    } else {
      // A return entry: the op it closes cannot come next in any order that extends this prefix.
      if (depth === 0) return { result: 'fail', states: cache.size };
      depth--;
      const i = stackOp[depth] as number;
      state = stackState[depth] as number;
      hash = (hash ^ zobrist(i)) >>> 0;
      bits[i >>> 5] = (bits[i >>> 5] as number) & ~(1 << (i & 31));
      list.unlift(i);
      if ((ops[i] as SearchOp).ret !== Infinity) remaining++;
      entry = next[callNode[i] as number] as number;
    }
  }
}

/** The register's transition: the next state, or NIL when the op cannot happen in `state`. */
function step(op: SearchOp, state: number): number {
  if (op.kind === READ) return op.a === state ? state : NIL;
  if (op.kind === CAS) return op.a === state ? op.b : NIL;
  return op.a;
}

interface EntryList {
  readonly next: Int32Array;
  readonly isCall: Uint8Array;
  readonly opOf: Int32Array;
  readonly callNode: Int32Array;
  lift(op: number): void;
  unlift(op: number): void;
}

/** Node 0 is the head; nodes 1…m are the call and return entries sorted by history index. */
function buildList(ops: readonly SearchOp[]): EntryList {
  const events: Array<{ at: number; op: number; call: boolean }> = [];
  ops.forEach((op, i) => {
    events.push({ at: op.call, op: i, call: true });
    if (op.ret !== Infinity) events.push({ at: op.ret, op: i, call: false });
  });
  events.sort((x, y) => x.at - y.at);
  const m = events.length;
  const next = new Int32Array(m + 1);
  const prev = new Int32Array(m + 1);
  const isCall = new Uint8Array(m + 1);
  const opOf = new Int32Array(m + 1);
  const callNode = new Int32Array(ops.length);
  const retNode = new Int32Array(ops.length).fill(NIL);
  for (let node = 0; node <= m; node++) {
    next[node] = node === m ? NIL : node + 1;
    prev[node] = node - 1;
  }
  events.forEach((event, k) => {
    const node = k + 1;
    opOf[node] = event.op;
    isCall[node] = event.call ? 1 : 0;
    if (event.call) callNode[event.op] = node;
    else retNode[event.op] = node;
  });
  const remove = (node: number): void => {
    const before = prev[node] as number;
    const after = next[node] as number;
    next[before] = after;
    if (after !== NIL) prev[after] = before;
  };
  // A removed node keeps its own links, so nodes put back in reverse order of removal land exactly
  // where they were.
  const restore = (node: number): void => {
    next[prev[node] as number] = node;
    const after = next[node] as number;
    if (after !== NIL) prev[after] = node;
  };
  return {
    next,
    isCall,
    opOf,
    callNode,
    lift(op) {
      remove(callNode[op] as number);
      if (retNode[op] !== NIL) remove(retNode[op] as number);
    },
    unlift(op) {
      if (retNode[op] !== NIL) restore(retNode[op] as number);
      restore(callNode[op] as number);
    },
  };
}

/** Visited (linearized set, state) pairs, keyed by an incremental hash and compared in full. */
class StateCache {
  private readonly buckets = new Map<number, Array<{ bits: Uint32Array; state: number }>>();
  size = 0;

  /** Adds the pair and returns true, or returns false when it was already there. */
  add(bits: Uint32Array, setHash: number, state: number): boolean {
    const key = mix(setHash ^ Math.imul(state + 1, 0x9e3779b1));
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(key, bucket);
    } else {
      for (const seen of bucket) if (seen.state === state && sameBits(seen.bits, bits)) return false;
    }
    bucket.push({ bits: bits.slice(), state });
    this.size++;
    return true;
  }
}

function sameBits(x: Uint32Array, y: Uint32Array): boolean {
  for (let w = 0; w < x.length; w++) if (x[w] !== y[w]) return false;
  return true;
}

/** A fixed pseudo-random 32-bit tag per op, so the set's hash is the XOR of its members' tags. */
function zobrist(op: number): number {
  return mix(op + 0x632be5ab);
}

/** The murmur3 finaliser: a cheap, well-spread 32-bit mix. */
function mix(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
