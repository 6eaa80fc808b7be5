// The error a report reader or writer raises: a report file that cannot be read, or a report that
// cannot be built. It follows Faultline's error shape — what happened, then what to do, then the
// problems one per line — and carries a marker so that `isReportError` recognises it across copies.

const marker = Symbol.for('faultline.reportError');

export class ReportError extends Error {
  readonly [marker] = true;
  readonly code = 'INVALID_REPORT';
  readonly details: readonly string[];

  constructor(what: string, todo: string, details: readonly string[] = []) {
    const shown = details.length > 20 ? [...details.slice(0, 20), `… and ${details.length - 20} more`] : details;
    super(`[faultline] ${what}. ${todo}${shown.length === 0 ? '' : `:${shown.map((d) => `\n  - ${d}`).join('')}`}`);
    this.name = 'ReportError';
    this.details = details;
  }
}

export function isReportError(value: unknown): value is ReportError {
  return typeof value === 'object' && value !== null && (value as { [marker]?: unknown })[marker] === true;
}
