// Actors: the concurrent strands of agent code in a run. The kernel tracks what each one is waiting
// on, so that a stuck run can say who is blocked and on what.

export type ActorState = 'running' | 'ok' | 'threw' | 'crashed';

/** A world call an actor is waiting on. */
export interface Wait {
  /** A short description: `fetch GET https://api.example.com/v1/x`, `sleep 500ms`, `lock "ledger"`. */
  readonly what: string;
  readonly since: number;
  readonly span: number;
  /**
   * For waits on other actors (a lock, a reply, a join): the actors that must act for this wait to
   * end. These are the edges of the wait-for graph in which deadlock cycles are found.
   */
  readonly holders?: () => readonly Actor[];
  /** True when the wait gives up by itself after a while; such a wait cannot be part of a deadlock. */
  readonly timesOut?: boolean;
}

export class Actor {
  state: ActorState = 'running';
  /** The world calls the actor has in flight (usually one; more when it fans out with Promise.all). */
  readonly waits = new Set<Wait>();
  /** The last world call that completed, and when. */
  last: { readonly what: string; readonly endedAt: number } | undefined;
  endedAt: number | undefined;
  error: unknown;
  crashReason: string | undefined;
  /** Settles when the actor's body does (never, if it crashes). */
  completion: Promise<unknown> = new Promise(() => undefined);

  constructor(
    readonly name: string,
    /** The actor's own span; its calls are children of it. */
    readonly span: number,
    readonly parent: Actor | undefined,
    readonly spawnedAt: number,
  ) {}
}

/** An actor's life, as the run result reports it. */
export interface ActorSummary {
  readonly name: string;
  readonly parent: string | undefined;
  readonly state: ActorState;
  readonly spawnedAt: number;
  readonly endedAt: number | undefined;
}

/** An unfinished actor at the moment a run was found stuck. */
export interface BlockedActor {
  readonly actor: string;
  /** The world calls it is still waiting on, if any. */
  readonly waitingOn: readonly string[];
  /** One sentence: what it waits on and since when. */
  readonly explanation: string;
}

export function summarize(actor: Actor): ActorSummary {
  return {
    name: actor.name,
    parent: actor.parent?.name,
    state: actor.state,
    spawnedAt: actor.spawnedAt,
    endedAt: actor.endedAt,
  };
}

/** Describes why `actor` cannot make progress, for a deadlock report. */
export function describeBlocked(actor: Actor): BlockedActor {
  const waits = [...actor.waits];
  if (waits.length > 0) {
    const list = waits.map((w) => `${w.what}${heldBy(w)} (since t=${w.since}ms)`).join(' and ');
    return { actor: actor.name, waitingOn: waits.map((w) => w.what), explanation: `"${actor.name}" waits on ${list}` };
  }
  const last = actor.last === undefined ? 'it has made no world call yet' : `its last world call, ${actor.last.what}, returned at t=${actor.last.endedAt}ms`;
  return {
    actor: actor.name,
    waitingOn: [],
    explanation: `"${actor.name}" awaits a promise that no world event will settle (${last})`,
  };
}

/** ", held by x, which finished at t=…ms without releasing it": who a wait depends on, and their state. */
function heldBy(wait: Wait): string {
  const holders = wait.holders?.() ?? [];
  if (holders.length === 0) return '';
  const described = holders.map((h) =>
    h.state === 'running'
      ? h.name
      : h.state === 'crashed'
        ? `${h.name}, which crashed at t=${h.endedAt}ms`
        : `${h.name}, which finished at t=${h.endedAt}ms without releasing it`,
  );
  return wait.what.includes(holders[0]?.name ?? '\u0000') ? '' : ` held by ${described.join(' and ')}`;
}

/** Names are unique within a run: a second `worker` becomes `worker#2`. */
export function uniqueName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  for (let i = 2; ; i++) {
    const candidate = `${wanted}#${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}
