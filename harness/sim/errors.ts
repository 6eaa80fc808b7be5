// Errors a Faultline user sees. Each one says what happened, where (scenario, actor, virtual time)
// and what to do, in that order, behind a `[faultline]` prefix so it stands out in a test log.

const marker = Symbol.for('faultline.error');

/** Where in a run something happened. Every field is optional: an error names what it knows. */
export interface Where {
  readonly scenario?: string;
  readonly actor?: string;
  readonly virtualTimeMs?: number;
}

export type FaultlineErrorCode =
  | 'INVALID_OPTIONS'
  | 'OVERLAPPING_RUN'
  | 'RUN_ENDED'
  | 'OUTSIDE_RUN'
  | 'UNHANDLED_REQUEST'
  | 'HANDLER_THREW'
  | 'REAL_NETWORK'
  | 'INVALID_FAULT_PLAN'
  | 'INVALID_SCENARIO'
  | 'WAIT_TIMEOUT'
  | 'GLOBALS_UNAVAILABLE'
  | 'WORKER_FAILED'
  | 'HARNESS_BUG';

export interface FaultlineErrorInit {
  readonly what: string;
  readonly where?: Where;
  readonly todo?: string;
  /** Itemised problems, listed one per line after the sentence. */
  readonly details?: readonly string[];
  readonly cause?: unknown;
}

/** Renders a `Where` as `scenario "x", actor "planner", t=1200ms`, or '' when nothing is known. */
export function formatWhere(where: Where | undefined): string {
  if (where === undefined) return '';
  const parts: string[] = [];
  if (where.scenario !== undefined) parts.push(`scenario "${where.scenario}"`);
  if (where.actor !== undefined) parts.push(`actor "${where.actor}"`);
  if (where.virtualTimeMs !== undefined) parts.push(`t=${where.virtualTimeMs}ms`);
  return parts.join(', ');
}

export class FaultlineError extends Error {
  readonly [marker] = true;
  readonly code: FaultlineErrorCode;
  readonly where: Where | undefined;
  readonly todo: string | undefined;

  constructor(code: FaultlineErrorCode, init: FaultlineErrorInit) {
    const where = formatWhere(init.where);
    const message =
      `[faultline] ${init.what}` +
      (where === '' ? '' : ` (${where})`) +
      (init.todo === undefined ? '' : `. ${init.todo}`) +
      (init.details === undefined || init.details.length === 0 ? '' : `:${init.details.map((d) => `\n  - ${d}`).join('')}`);
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'FaultlineError';
    this.code = code;
    this.where = init.where;
    this.todo = init.todo;
  }
}

/** True for any error Faultline itself raised, whichever copy of the module raised it. */
export function isFaultlineError(value: unknown): value is FaultlineError {
  return typeof value === 'object' && value !== null && (value as { [marker]?: unknown })[marker] === true;
}

/** Raised when options are wrong; lists every problem at once rather than the first. */
export function invalidOptions(subject: string, problems: readonly string[], todo: string): FaultlineError {
  return new FaultlineError('INVALID_OPTIONS', { what: `Invalid ${subject}`, todo, details: problems });
}

/**
 * `String(value)` that never throws: a thrown value's own toString (or name, or message) may throw,
 * and describing an error must not become a second error.
 */
export function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '[a value that cannot be printed]';
    }
  }
}

/** `error.name: error.message` for an Error, safeString otherwise; never throws. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    try {
      return `${safeString(error.name)}: ${safeString(error.message)}`;
    } catch {
      return safeString(error);
    }
  }
  return safeString(error);
}
