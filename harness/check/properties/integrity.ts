// Properties about what the agent believes: no wrong fact from a `corrupt` fault reaches its output
// or its stores unflagged, and no single decision mixes model versions.
import type { RunResult } from '../../options.ts';
import { spansOf } from '../../sim/trace.ts';
import { marks, type Property, property, textOf } from './property.ts';

export interface SilentCorruptionOptions {
  /** Whether the output flags its doubt (default: it says unverified, uncertain, could not confirm…). */
  readonly flagged?: (value: unknown) => boolean;
  /**
   * Where a corrupted fact must not arrive unflagged: `output` (the agent's answer), `tools` (the
   * arguments of any tool call), `stores` (any value written or appended to a store), or one sink by
   * name: `tool:refund`, `store:ledger`. Default: all three kinds.
   */
  readonly sinks?: readonly string[];
}

const DOUBT =
  /\b(unverified|uncertain|unconfirmed|could not (?:be )?(?:verify|verified|confirm)|conflict(?:ing)?|discrepanc|low confidence|needs? review|flagged)\b/i;

/**
 * Whether `fact` appears in `text` as a whole token — so a corrupted "6" is not found inside "16" or
 * a version number — with numbers compared as numbers ("$53,075" states 53075).
 */
export function states(text: string, fact: string): boolean {
  const numeric = /^\$?-?[\d,]+(?:\.\d+)?$/.test(fact);
  const wanted = numeric ? fact.replace(/[$,]/g, '') : fact;
  const haystack = numeric ? text.replace(/(\d),(?=\d{3}\b)/g, '$1').replace(/\$(?=\d)/g, '') : text;
  const escaped = wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.])${escaped}(?![\\w]|\\.\\d)`).test(haystack);
}

/** A sink a corrupted fact reached: where, when, and the spans to point at. */
interface Reached {
  readonly where: string;
  readonly t?: number;
  readonly span?: number;
  /** The output is judged with `flagged`; tool calls and stores take values as they are. */
  readonly output?: true;
}

function wants(sinks: readonly string[], kind: 'output' | 'tools' | 'stores', name?: string): boolean {
  return sinks.includes(kind) || (name !== undefined && sinks.includes(name));
}

/** The first sink after virtual time `since` that states `corrupted`, in the order the run reached them. */
function reachedBy(r: RunResult, corrupted: string, since: number, sinks: readonly string[]): Reached | undefined {
  const found: Reached[] = [];
  for (const call of r.toolCalls ?? []) {
    if (call.t < since || !wants(sinks, 'tools', `tool:${call.tool}`)) continue;
    if (states(textOf(call.args), corrupted))
      found.push({ where: `tool call ${call.tool}(${clip(textOf(call.args))})`, t: call.t, ...(call.span === undefined ? {} : { span: call.span }) });
  }
  for (const op of r.history) {
    if (op.type !== 'invoke' || op.t < since || op.f === 'read' || op.value === undefined || !wants(sinks, 'stores', `store:${op.store}`)) continue;
    if (states(textOf(op.value), corrupted))
      found.push({ where: `store "${op.store}" (${op.f} ${op.key === '' ? '' : `${op.key} `}= ${clip(textOf(op.value))})`, t: op.t });
  }
  for (const [name, snapshot] of Object.entries(r.stores)) {
    if (!wants(sinks, 'stores', `store:${name}`)) continue;
    if (Object.values(snapshot).some((e) => states(textOf(e.value), corrupted))) found.push({ where: `store "${name}" (its final state)` });
  }
  found.sort((a, b) => (a.t ?? Number.POSITIVE_INFINITY) - (b.t ?? Number.POSITIVE_INFINITY));
  if (found[0] !== undefined) return found[0];
  if (wants(sinks, 'output') && states(textOf(r.value), corrupted)) return { where: 'the output', output: true };
  return undefined;
}

function clip(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}…`;
}

/**
 * No wrong fact from a `corrupt` fault reaches the output, a tool call or a store unflagged. The
 * verdict names the path: the fault that planted the fact, where and when, and the sink it reached.
 */
export function noSilentCorruption(options: SilentCorruptionOptions = {}): Property {
  const flagged = options.flagged ?? ((v) => DOUBT.test(textOf(v)) || (typeof v === 'object' && v !== null && (v as { flagged?: unknown }).flagged === true));
  const sinks = options.sinks ?? ['output', 'tools', 'stores'];
  return property(
    'noSilentCorruption',
    'No corrupted fact reached the output, a tool call or a store unflagged.',
    (r) => {
      for (const taint of marks(r, 'taint')) {
        const corrupted = String(taint.data?.corrupted ?? '');
        if (corrupted === '') continue;
        const reached = reachedBy(r, corrupted, taint.t, sinks);
        if (reached === undefined) continue;
        if (reached.output === true && flagged(r.value)) continue;
        const spans = [taint.span, reached.span].filter((s): s is number => s !== undefined);
        return {
          message:
            `A wrong ${String(taint.data?.fact)} from fault ${String(taint.data?.rule)} (${String(taint.data?.original)} became ${corrupted}, ` +
            `in ${String(taint.data?.where ?? taint.data?.target)} at t=${taint.t}ms) reached ${reached.where}${reached.t === undefined ? '' : ` at t=${reached.t}ms`} unflagged.`,
          ...(spans.length === 0 ? {} : { spans }),
        };
      }
      return undefined;
    },
    { vacuousWhen: (r) => (marks(r, 'taint').length === 0 ? 'no corrupt fault changed a fact' : undefined) },
  );
}

/** One run's answer never combines answers from different versions of the same model. */
export function noMixedVersions(): Property {
  return property(
    'noMixedVersions',
    'Every model answered from one version throughout the decision.',
    (r) => {
      if (r.outcome !== 'ok') return undefined;
      const byModel = new Map<string, Map<string, number>>();
      for (const s of spansOf(r.trace)) {
        if (s.kind !== 'llm' || s.outcome !== 'ok' || typeof s.data.version !== 'string') continue;
        const model = String(s.data.model);
        const versions = byModel.get(model) ?? new Map<string, number>();
        if (!versions.has(s.data.version)) versions.set(s.data.version, s.span);
        byModel.set(model, versions);
      }
      for (const [model, versions] of byModel) {
        if (versions.size < 2) continue;
        return {
          message: `The answer combined ${versions.size} versions of "${model}" (${[...versions.keys()].join(', ')}) in one decision.`,
          spans: [...versions.values()],
        };
      }
      return undefined;
    },
    {
      vacuousWhen: (r) =>
        spansOf(r.trace).some((s) => s.kind === 'llm' && typeof s.data.version === 'string') ? undefined : 'no model answered with a version',
    },
  );
}
