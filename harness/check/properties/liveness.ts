// Properties about finishing: no deadlock, and graceful degradation (the agent answered, within its
// time bound, and said what was missing when faults took something away).
import type { RunResult } from '../../options.ts';
import { marks, property, type Property, textOf } from './property.ts';

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
}

const ADMITS = /\b(unavailable|not available|could not|couldn't|can't|cannot|unable|missing|partial|incomplete|degraded|failed|failure|try again|later|queued|unknown|unverified|not (?:be )?confirmed)\b/i;

/** Faults that took something away from the agent during the run (not the ones it shrugged off). */
function hurtingFaults(r: RunResult): string[] {
  return [...new Set(marks(r, 'fault').map((m) => String(m.data?.kind)))].filter((k) => k !== 'latency');
}

/**
 * The agent still answered, said what was missing when faults hit, and stayed within its bound —
 * one tool down does not take the whole agent down.
 */
export function gracefulDegradation(options: GracefulDegradationOptions = {}): Property {
  const answered = options.answered ?? ((v) => v !== undefined && v !== null && textOf(v).trim() !== '' && textOf(v) !== '{}');
  const admits = options.saysWhatIsMissing ?? ((v) => ADMITS.test(textOf(v)));
  return property('gracefulDegradation', 'The agent answered within its bound, and said what was missing where faults took something away.', (r) => {
    if (r.outcome !== 'ok') return { message: `The agent did not answer: ${r.message}` };
    if (!answered(r.value)) return { message: `The agent returned an empty answer (${textOf(r.value).slice(0, 80)}) at t=${r.virtualTimeMs}ms.` };
    if (options.withinMs !== undefined && r.virtualTimeMs > options.withinMs) {
      return { message: `The agent answered at t=${r.virtualTimeMs}ms, past its bound of ${options.withinMs}ms.` };
    }
    const faults = hurtingFaults(r);
    const failedCalls = r.trace.some((e) => e.type === 'span.end' && (e.outcome === 'error' || e.outcome === 'aborted' || e.outcome === 'fault'));
    if (faults.length > 0 && failedCalls && !admits(r.value)) {
      return { message: `Faults (${faults.join(', ')}) made calls fail, yet the answer does not say what is missing: ${JSON.stringify(textOf(r.value).slice(0, 120))}.` };
    }
    return undefined;
  });
}
