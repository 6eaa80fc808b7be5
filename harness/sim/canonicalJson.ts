// Canonical JSON: object keys sorted, no whitespace, so equal data always gives equal text and
// therefore an equal hash. safe-stable-stringify does the sorting (and survives cycles) for us.
import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

const stringify = configure({ deterministic: true, bigint: true, circularValue: '[Circular]' });

/** Canonical JSON text of `value`. Keys are sorted at every depth; `undefined` members are dropped. */
export function canonicalJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** A stable SHA-256 (hex) of the canonical JSON of `value`. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
