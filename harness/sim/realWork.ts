// Real asynchronous work started by agent code during a run: file system and DNS requests, child
// processes, module loads, crypto and compression jobs, worker threads. None of it is part of the
// world, yet while it is in flight the agent is not idle: were the run loop to deliver the next
// event or move virtual time meanwhile, the order of what follows would depend on how fast the
// machine is. So the loop waits for it (in real time, bounded by limits.wallClockMs) without moving
// virtual time, and the run stays a function of its inputs.
//
// What is in flight is found two ways. libuv requests and ref'd handles are listed by Node
// (process._getActiveRequests / _getActiveHandles): those not there when the run started belong to
// it. Thread-pool jobs (crypto, zlib) and worker threads are invisible there, so the functions that
// start them are wrapped (see builtinBridge.ts and seededCrypto.ts) and report through `track`.

type ProcessInternals = { _getActiveRequests?: () => object[]; _getActiveHandles?: () => object[] };

const internals = process as unknown as ProcessInternals;

/** Handle types that are not work the agent can be waiting for: the terminal, timers, the process's own pipes. */
const IGNORED_HANDLES = new Set(['WriteStream', 'ReadStream', 'Timeout', 'Immediate']);

function live(): { requests: object[]; handles: object[] } {
  return {
    requests: internals._getActiveRequests?.() ?? [],
    handles: (internals._getActiveHandles?.() ?? []).filter((h) => !IGNORED_HANDLES.has(h.constructor?.name ?? '')),
  };
}

/** Something a run started outside the world that it has to stop when the run ends. */
export interface Stoppable {
  readonly label: string;
  stop(): void;
}

export class RealWork {
  private readonly before: ReadonlySet<object>;
  private readonly tracked = new Map<number, string>();
  private readonly stoppables = new Set<Stoppable>();
  private nextId = 0;

  constructor() {
    const { requests, handles } = live();
    this.before = new Set([...requests, ...handles]);
  }

  /** Records that work labelled `label` has started; returns the function that ends it (idempotent). */
  track(label: string): () => void {
    const id = this.nextId++;
    this.tracked.set(id, label);
    return () => {
      this.tracked.delete(id);
    };
  }

  /** Something to stop when the run ends, unless it ends itself first (then call the returned function). */
  own(stoppable: Stoppable): () => void {
    this.stoppables.add(stoppable);
    return () => this.stoppables.delete(stoppable);
  }

  /** What is in flight now, by kind (`FSReqPromise`, `ChildProcess`, `crypto.pbkdf2`…), or [] when nothing is. */
  pending(): string[] {
    const out: string[] = [...this.tracked.values()];
    const { requests, handles } = live();
    for (const r of requests) if (!this.before.has(r)) out.push(r.constructor?.name ?? 'request');
    for (const h of handles) if (!this.before.has(h)) out.push(h.constructor?.name ?? 'handle');
    return out;
  }

  /** Stops what the run started and left running (worker threads, child processes). */
  stopAll(): string[] {
    const stopped: string[] = [];
    for (const h of live().handles) {
      const child = h as { constructor?: { name?: string }; kill?: (signal?: string) => boolean };
      if (this.before.has(h) || child.constructor?.name !== 'ChildProcess' || typeof child.kill !== 'function') continue;
      child.kill('SIGKILL');
      stopped.push('a child process');
    }
    for (const s of this.stoppables) {
      try {
        s.stop();
        stopped.push(s.label);
      } catch {
        // Already gone.
      }
    }
    this.stoppables.clear();
    return stopped;
  }
}

/** A human list of pending work: `FSReqPromise ×2, a worker thread`. */
export function describeWork(kinds: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => (n === 1 ? k : `${k} ×${n}`)).join(', ');
}
