// Wording shared by the checkers. A violation is one sentence a person reads in a test log, so values
// and times are rendered the same way everywhere: short, unambiguous, and in virtual milliseconds.
import { canonicalJson } from '../sim/canonicalJson.ts';

const MAX_VALUE_CHARS = 60;

/** A value as a sentence shows it: `100`, `"abc"`, `balance 100`, `nothing` for a missing value. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return clip(JSON.stringify(value));
  if (typeof value !== 'object') return String(value);
  const entries = Array.isArray(value) ? undefined : Object.entries(value as Record<string, unknown>);
  // Small flat records read better as `balance 100, owner "ann"` than as JSON.
  if (entries !== undefined && entries.length > 0 && entries.length <= 3 && entries.every(([, v]) => isPrimitive(v))) {
    return clip(entries.map(([k, v]) => `${k} ${formatValue(v)}`).join(', '));
  }
  return clip(canonicalJson(value));
}

/** `t=4ms`. */
export function at(t: number): string {
  return `t=${t}ms`;
}

/** `t=4–9ms` for a window, `t=4ms–?` when the op never completed. */
export function timeWindow(from: number, to: number | undefined): string {
  if (to === undefined) return `t=${from}ms–?`;
  return from === to ? at(from) : `t=${from}–${to}ms`;
}

/** `account:1 in store db`, the way every sentence names an entity. */
export function where(store: string, key: string): string {
  return key === '' ? `store ${store}` : `${key} in store ${store}`;
}

/** Joins `a`, `a and b`, `a, b and c`. */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

function clip(text: string): string {
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
}
