// A property about the trace itself: every world call the agent made is explained by it — it
// belongs to an actor, sits under a parent span, and had ended by the time the agent answered. Work
// an agent leaves running in the background (a dangling promise) is exactly what a trace cannot
// explain afterwards: it ends as `unfinished`.
import { spansOf } from '../../sim/trace.ts';
import { type Property, property } from './property.ts';

export function traceComplete(): Property {
  return property('traceComplete', 'Every world call ended inside the run and sits under its actor in the trace.', (r) => {
    const spans = spansOf(r.trace);
    const byId = new Map(spans.map((s) => [s.span, s]));
    for (const s of spans) {
      if (s.kind !== 'actor' && (s.parent === undefined || !byId.has(s.parent))) {
        return { message: `The ${s.kind} call to ${s.target} by ${s.actor} at t=${s.start}ms has no parent span.`, spans: [s.span] };
      }
    }
    // Deadlocks and timeouts leave everything unfinished by definition; other properties speak of them.
    if (r.outcome !== 'ok' && r.outcome !== 'threw') return undefined;
    // Dangling work: calls still running, and actors other than main still alive (between calls,
    // say in a retry's backoff), when the agent was done.
    const dangling = spans.filter((s) => s.outcome === 'unfinished' && !(s.kind === 'actor' && s.actor === 'main'));
    const first = dangling[0];
    if (first === undefined) return undefined;
    return {
      message:
        `The agent answered at t=${r.virtualTimeMs}ms with ${dangling.length} world call${dangling.length === 1 ? '' : 's'} still running ` +
        `(first: ${first.kind} ${first.target} by ${first.actor}, started at t=${first.start}ms): work nobody awaited, which the trace cannot explain.`,
      spans: dangling.map((s) => s.span),
    };
  });
}
