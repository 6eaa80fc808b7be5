// The wait-for graph: an edge from actor A to actor B when A waits on something only B can give (a
// lock B holds, a reply from B, B's completion). A cycle of waits that never time out is a
// deadlock, and naming the cycle is what makes it debuggable: "planner waits for lock "ledger" held
// by executor; executor waits for a reply from planner".
import type { Actor, Wait } from './actors.ts';

export interface CycleEdge {
  readonly waiter: string;
  readonly wait: string;
  readonly holder: string;
  readonly since: number;
}

export interface DeadlockCycle {
  readonly edges: readonly CycleEdge[];
  /** When the cycle closed: the virtual time its newest edge appeared. */
  readonly formedAt: number;
  /** "planner waits for lock "ledger" held by executor; executor waits for a reply from planner". */
  readonly sentence: string;
}

function edgesOf(actor: Actor): Array<{ wait: Wait; holder: Actor }> {
  const out: Array<{ wait: Wait; holder: Actor }> = [];
  for (const wait of actor.waits) {
    if (wait.holders === undefined || wait.timesOut === true) continue;
    for (const holder of wait.holders()) if (holder.state === 'running' || holder.state === 'crashed') out.push({ wait, holder });
  }
  return out;
}

/**
 * A cycle of non-timing-out waits through `start`, if there is one. Depth-first over the actors'
 * current waits, so the cycle is found in the order the waits were made: deterministic.
 */
export function findCycle(start: Actor): DeadlockCycle | undefined {
  const path: Array<{ actor: Actor; wait: Wait; holder: Actor }> = [];
  const seen = new Set<Actor>();
  const visit = (actor: Actor): boolean => {
    if (seen.has(actor)) return false;
    seen.add(actor);
    for (const { wait, holder } of edgesOf(actor)) {
      path.push({ actor, wait, holder });
      if (holder === start || visit(holder)) return true;
      path.pop();
    }
    return false;
  };
  if (!visit(start)) return undefined;
  const edges = path.map(({ actor, wait, holder }) => ({ waiter: actor.name, wait: wait.what, holder: holder.name, since: wait.since }));
  return {
    edges,
    formedAt: Math.max(...edges.map((e) => e.since)),
    sentence: edges.map((e) => `${e.waiter} waits for ${e.wait}${e.wait.includes(e.holder) ? '' : ` held by ${e.holder}`}`).join('; '),
  };
}

/** The first cycle among `actors` (in creation order), if any. */
export function findAnyCycle(actors: readonly Actor[]): DeadlockCycle | undefined {
  for (const actor of actors) {
    if (actor.state !== 'running') continue;
    const cycle = findCycle(actor);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
