// Where two traces of the same seed stopped agreeing: the determinism check's explanation.
import { canonicalJson } from '../sim/canonicalJson.ts';
import type { TraceEvent } from '../sim/trace.ts';

/** What each span was, by id, so that an end event can say what ended. */
export function spanNames(trace: readonly TraceEvent[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const e of trace) if (e.type === 'span.start') names.set(e.span, `${e.actor} ${e.kind} ${e.target}`);
  return names;
}

export function describeEvent(e: TraceEvent | undefined, names?: ReadonlyMap<number, string>): string {
  if (e === undefined) return 'nothing (the trace had ended)';
  switch (e.type) {
    case 'span.start':
      return `${e.actor} starts ${e.kind} ${e.target}${e.data === undefined ? '' : ` ${canonicalJson(e.data).slice(0, 100)}`}`;
    case 'span.end':
      return `${names?.get(e.span) ?? `span ${e.span}`} ends ${e.outcome}${e.data === undefined ? '' : ` ${canonicalJson(e.data).slice(0, 100)}`}`;
    case 'mark':
      return `⚑ ${e.name}${e.actor === undefined ? '' : ` (${e.actor})`} ${canonicalJson(e.data ?? {}).slice(0, 100)}`;
    default:
      return `${e.type}`;
  }
}

export function divergence(a: readonly TraceEvent[], b: readonly TraceEvent[]): string {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (canonicalJson(a[i]) === canonicalJson(b[i])) continue;
    const t = a[i]?.t ?? b[i]?.t ?? 0;
    return (
      `Two runs of the same case diverged at trace event #${i} (t=${t}ms): the first run had ${describeEvent(a[i], spanNames(a))}, ` +
      `the second had ${describeEvent(b[i], spanNames(b))}. Something outside the world (real time, real randomness, state kept ` +
      `between runs) reached the agent.`
    );
  }
  return 'Two runs of the same case gave different trace hashes but equal events.';
}
