// Properties about finishing: no deadlock, and graceful degradation (the agent answered, within its
// time bound, and said what was missing when faults took something away).
import picomatch from 'picomatch';
import type { RunResult } from '../../options.ts';
import { spansOf } from '../../sim/trace.ts';
import { overBudget } from './bounds.ts';
import { marks, type Property, property, textOf } from './property.ts';

/** The run finished or degraded in bounded virtual time: no deadlock, livelock or timeout. */
export function noDeadlock(): Property {
  return property('noDeadlock', 'The run finished without deadlock, livelock or timeout.', (r) => {
    if (r.outcome === 'deadlock' || r.outcome === 'livelock' || r.outcome === 'timeout') return { message: r.message };
    return undefined;
  });
}

export interface GracefulDegradationOptions {
  /** The answer must come within this many virtual milliseconds. */
  readonly withinMs?: number;
  /** Whether the answer says what is missing (default: it mentions unavailability, a failure, or partial data). */
  readonly saysWhatIsMissing?: (value: unknown) => boolean;
  /** Whether the agent answered at all (default: it returned something non-empty). */
  readonly answered?: (value: unknown) => boolean;
  /**
   * Groups of interchangeable call targets (span targets such as `llm:gpt-4o-mini`,
   * `http:api.openai.com`, `tool:search`; globs allowed): a call that failed is recovered when the
   * last call to any target of its group succeeded, as a fallback from one provider (or tool) to
   * another is. Default: none, so each target stands alone.
   */
  readonly fallbacks?: ReadonlyArray<ReadonlyArray<string>>;
}

const ADMITS =
  /\b(unavailable|not available|could not|couldn't|can't|cannot|unable|missing|partial|incomplete|degraded|failed|failure|try again|later|queued|unknown|unverified|not (?:be )?confirmed)\b/i;

const FAILED = new Set(['error', 'aborted', 'fault', 'crashed', 'timeout']);

/**
 * What the agent went without: the world calls (by kind and target) whose last attempt failed. A
 * call that failed and then succeeded on a retry was recovered, and takes nothing away.
 */
function missingCalls(r: RunResult, fallbacks: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const groups = fallbacks.map((patterns) => picomatch([...patterns], { bash: true, dot: true }));
  // Per call (or per group of interchangeable calls): the outcome of its last attempt, and what it was.
  const last = new Map<string, { outcome: string; calls: Set<string> }>();
  for (const s of spansOf(r.trace)) {
    if (s.kind === 'actor' || s.kind === 'sleep') continue;
    // An HTTP answer of 429 or 5xx is a failed call, though the exchange itself completed.
    const status = typeof s.data.status === 'number' ? s.data.status : 0;
    const outcome = s.outcome === 'ok' && (status === 429 || status >= 500) ? 'error' : s.outcome;
    const call = `${s.kind} ${s.target}`;
    const group = groups.findIndex((matches) => matches(s.target));
    const key = group === -1 ? call : `fallback group ${group}`;
    const entry = last.get(key) ?? { outcome, calls: new Set<string>() };
    entry.outcome = outcome;
    if (FAILED.has(outcome)) entry.calls.add(call);
    last.set(key, entry);
  }
  return [...last.values()].filter((e) => FAILED.has(e.outcome)).flatMap((e) => [...e.calls]);
}

/**
 * The agent still answered, said what was missing when faults hit, and stayed within its bound —
 * one tool down does not take the whole agent down.
 */
export function gracefulDegradation(options: GracefulDegradationOptions = {}): Property {
  const answered = options.answered ?? ((v) => v !== undefined && v !== null && textOf(v).trim() !== '' && textOf(v) !== '{}');
  const admits = options.saysWhatIsMissing ?? ((v) => ADMITS.test(textOf(v)));
  return property('gracefulDegradation', 'The agent answered within its bound, and said what was missing where faults took something away.', (r) => {
    if (r.outcome !== 'ok') return { message: `The agent did not answer: ${overBudget(r)}` };
    if (!answered(r.value)) return { message: `The agent returned an empty answer (${textOf(r.value).slice(0, 80)}) at t=${r.virtualTimeMs}ms.` };
    if (options.withinMs !== undefined && r.virtualTimeMs > options.withinMs) {
      return { message: `The agent answered at t=${r.virtualTimeMs}ms, past its bound of ${options.withinMs}ms.` };
    }
    const missing = missingCalls(r, options.fallbacks ?? []);
    if (missing.length > 0 && !admits(r.value)) {
      const faults = [...new Set(marks(r, 'fault').map((m) => String(m.data?.rule)))];
      return {
        message:
          `The agent went without ${missing.join(', ')} (faults: ${faults.join(', ') || 'none'}), yet its answer does not say ` +
          `what is missing: ${JSON.stringify(textOf(r.value).slice(0, 120))}.`,
      };
    }
    return undefined;
  });
}
