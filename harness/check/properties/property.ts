// Properties: pure functions of a run's result that say whether the run kept a promise, and why in
// one sentence. Faultline ships the ones the twelve failure modes need; users write their own with
// the same shape.
import type { RunResult } from '../../options.ts';
import type { TraceEvent } from '../../sim/trace.ts';

export interface PropertyVerdict {
  readonly property: string;
  readonly ok: boolean;
  /** One sentence: what held, or what was violated, naming the operations and times involved. */
  readonly message: string;
  /** History ops (indices) involved in a violation. */
  readonly ops?: readonly number[];
  /** Trace spans involved in a violation. */
  readonly spans?: readonly number[];
  /**
   * Set when the property held only because what it judges was not there in this run (no corrupt
   * fact to follow, no store history to check): what was missing. A check fails a property that
   * held vacuously in every run.
   */
  readonly vacuous?: string;
}

export interface PropertyContext {
  /** The workload input the agent was given, if the scenario generates one. */
  readonly input?: unknown;
}

export interface Property {
  readonly name: string;
  /** The subjects the property reads (see {@link PropertyOptions.requires}); a check names any no run produced. */
  readonly requires?: readonly string[];
  check(result: RunResult, context: PropertyContext): PropertyVerdict;
}

export interface PropertyOptions {
  /**
   * What the property reads, as `store:<name>`, `tool:<name>`, `model:<name>` (or `llm:<name>`),
   * `mcp:<server>`, `http:<host>` or `mark:<name>`. A run without one of them makes the verdict
   * vacuous; one that no run of a check produced fails the check, with the nearest name the runs had.
   */
  readonly requires?: readonly string[];
  /** Why a run gives the property nothing to judge, or undefined when it does (for properties whose subject is not a name). */
  readonly vacuousWhen?: (result: RunResult, context: PropertyContext) => string | undefined;
}

/**
 * Builds a property from a name, the sentence it says when it held, and a check that returns the
 * violation (a message, and the ops or spans involved) or undefined when it held.
 */
export function property(
  name: string,
  held: string,
  violation: (result: RunResult, context: PropertyContext) => Omit<PropertyVerdict, 'property' | 'ok'> | undefined,
  options: PropertyOptions = {},
): Property {
  const requires = options.requires ?? [];
  return {
    name,
    ...(requires.length === 0 ? {} : { requires }),
    check(result, context) {
      const v = violation(result, context);
      if (v !== undefined) return { property: name, ok: false, ...v };
      const missing = missingSubjects(result, requires);
      const vacuous = missing.length > 0 ? `this run had no ${missing.join(', ')}` : options.vacuousWhen?.(result, context);
      return vacuous === undefined
        ? { property: name, ok: true, message: held }
        : { property: name, ok: true, message: `${held} (vacuously: ${vacuous})`, vacuous };
    },
  };
}

/**
 * Everything a run produced that a property can name: the yield points it visited (`tool:x`,
 * `llm:x` and `model:x`, `mcp:x`, `store:x`, `http:x`), the stores it holds, and its marks (`mark:x`).
 */
export function subjectsOf(result: RunResult): Set<string> {
  const out = new Set<string>();
  for (const target of Object.keys(result.coverage?.targets ?? {})) {
    out.add(target);
    if (target.startsWith('llm:')) out.add(`model:${target.slice(4)}`);
  }
  for (const name of Object.keys(result.stores)) out.add(`store:${name}`);
  for (const op of result.history) out.add(`store:${op.store}`);
  for (const call of result.toolCalls ?? []) out.add(`tool:${call.tool}`);
  for (const e of result.trace) if (e.type === 'mark') out.add(`mark:${e.name}`);
  return out;
}

function missingSubjects(result: RunResult, requires: readonly string[]): string[] {
  if (requires.length === 0) return [];
  const seen = subjectsOf(result);
  return requires.filter((s) => !seen.has(s) && !(s.startsWith('llm:') && seen.has(`model:${s.slice(4)}`)));
}

export type Mark = Extract<TraceEvent, { type: 'mark' }>;

/** The trace's marks called `name`. */
export function marks(result: RunResult, name: string): Mark[] {
  return result.trace.filter((e): e is Mark => e.type === 'mark' && e.name === name);
}

/** Text of a value for searching: strings as they are, anything else as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}
