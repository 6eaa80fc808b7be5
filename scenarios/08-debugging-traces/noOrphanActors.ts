// A property about the actors of a run: every actor the agent started had finished by the time the
// run ended. traceComplete() catches background work that is in the middle of a world call when the
// agent answers; an actor that is between calls then — sleeping in an SDK's retry backoff, say — has
// no call open, yet it is just as much work nobody waited for, and the trace cannot say how it ends.
import { type Property, property } from '../../harness/index.ts';

export function noOrphanActors(): Property {
  return property('noOrphanActors', 'Every actor the agent started had finished when the run ended.', (r) => {
    const orphan = r.actors.find((a) => a.parent !== undefined && a.state === 'running');
    if (orphan === undefined) return undefined;
    return {
      message:
        `Actor ${orphan.name}, started by ${String(orphan.parent)} at t=${orphan.spawnedAt}ms, was still running when the run ended at t=${r.virtualTimeMs}ms ` +
        `(${r.outcome}): nobody waited for it, so the trace cannot say how its work ended.`,
    };
  });
}
