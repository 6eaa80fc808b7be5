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

/** The random sources a run used that its seed does not reach (from its `unseeded` marks). */
export function unseededSources(trace: readonly TraceEvent[]): string[] {
  const out = new Set<string>();
  for (const e of trace) if (e.type === 'mark' && e.name === 'unseeded' && typeof e.data?.source === 'string') out.add(e.data.source);
  return [...out];
}

/** What a determinism check compares of one execution of a case. */
export interface Execution {
  readonly result: { readonly traceHash: string; readonly trace: readonly TraceEvent[]; readonly outcome: string; readonly value?: unknown };
  readonly verdicts: ReadonlyArray<{ readonly property: string; readonly ok: boolean; readonly message: string }>;
}

/**
 * Why two executions of one case differ, or undefined when they agree: their traces first (which
 * carry digests of everything the agent observed), then their values, then their verdicts. The
 * sentence names any unseeded random source either run used.
 */
export function executionDivergence(a: Execution, b: Execution): string | undefined {
  let why: string | undefined;
  if (a.result.traceHash !== b.result.traceHash) why = divergence(a.result.trace, b.result.trace);
  else if (a.result.outcome !== b.result.outcome) why = `Two runs of the same case had equal traces but ended ${a.result.outcome} and ${b.result.outcome}.`;
  else if (canonicalJson(a.result.value) !== canonicalJson(b.result.value)) {
    why =
      `Two runs of the same case returned different values with equal traces: first ${canonicalJson(a.result.value).slice(0, 120)}, ` +
      `then ${canonicalJson(b.result.value).slice(0, 120)}. The agent's result depends on something the world does not see ` +
      `(state kept between runs, real time, real randomness).`;
  } else {
    const other = new Map(b.verdicts.map((v) => [v.property, v]));
    const changed = a.verdicts.find((v) => other.get(v.property)?.ok !== v.ok || other.get(v.property)?.message !== v.message);
    if (changed !== undefined) {
      const second = other.get(changed.property);
      why =
        `Two runs of the same case gave different verdicts on ${changed.property}: first ${changed.ok ? 'held' : `failed (${changed.message})`}, ` +
        `then ${second === undefined ? 'not checked' : second.ok ? 'held' : `failed (${second.message})`}. The property reads something the run does not determine.`;
    }
  }
  if (why === undefined) return undefined;
  const unseeded = [...new Set([...unseededSources(a.result.trace), ...unseededSources(b.result.trace)])];
  return unseeded.length === 0 ? why : `${why} The runs used random sources the seed does not reach: ${unseeded.join(', ')}.`;
}
