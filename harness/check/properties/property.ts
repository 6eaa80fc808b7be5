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
}

export interface PropertyContext {
  /** The workload input the agent was given, if the scenario generates one. */
  readonly input?: unknown;
}

export interface Property {
  readonly name: string;
  check(result: RunResult, context: PropertyContext): PropertyVerdict;
}

/** Builds a property from a name and a check that returns a message when violated (undefined when it held). */
export function property(
  name: string,
  held: string,
  violation: (result: RunResult, context: PropertyContext) => Omit<PropertyVerdict, 'property' | 'ok'> | undefined,
): Property {
  return {
    name,
    check(result, context) {
      const v = violation(result, context);
      return v === undefined ? { property: name, ok: true, message: held } : { property: name, ok: false, ...v };
    },
  };
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
