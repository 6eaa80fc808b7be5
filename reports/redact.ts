// Secrets never leave Faultline in a report. Every writer's input passes through `redact` on the
// way out, which also makes it plain JSON, and every writer's final text passes through
// `redactText` as a second line of defence. The kernel already keeps headers out of traces; this is
// for what it cannot know about: keys an agent put in a store, an error message quoting a request,
// a tool that echoed its configuration, a model that repeated what it was told.
import { errorText, safeString } from '../harness/sim/errors.ts';
import { redactOutput } from '../harness/sim/redact.ts';
import type { JsonValue } from '../harness/sim/trace.ts';

export { REDACTED } from '../harness/sim/secrets.ts';

import { REDACTED } from '../harness/sim/secrets.ts';

/** Object keys whose values are credentials, compared lower-case without `-`, `_`, `.` or spaces. */
const SECRET_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'xapikey',
  'apikey',
  'xgoogapikey',
  'apitoken',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'token',
  'secret',
  'clientsecret',
  'secretkey',
  'privatekey',
  'password',
  'passwd',
  'cookie',
  'setcookie',
  'sessiontoken',
  'awssecretaccesskey',
]);

/** True when a field, header or parameter called `key` holds a credential. */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_. ]/g, '');
  return SECRET_KEYS.has(k) || k.endsWith('apikey') || k.endsWith('secret') || k.endsWith('password');
}

/** The text with every credential removed: values any run saw on a request, and what looks like one. Idempotent. */
export function redactText(text: string): string {
  return redactOutput(text);
}

const MAX_DEPTH = 64;

/**
 * A plain-JSON copy of `value` with every credential removed: values under secret-named keys (and
 * `[name, value]` header pairs) become `[redacted]`, strings lose credential-looking substrings.
 * Values JSON cannot hold become strings (bigint, Infinity, functions, cycles) so nothing is lost
 * silently; `undefined` fields are dropped, as JSON.stringify would.
 */
export function redact(value: unknown): JsonValue {
  return walk(value, new Set(), 0);
}

function walk(value: unknown, seen: Set<object>, depth: number): JsonValue {
  switch (typeof value) {
    case 'string':
      return redactText(value);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return null;
    case 'function':
      return `[function ${value.name || 'anonymous'}]`;
    case 'symbol':
      return redactText(value.toString());
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(object);
  try {
    return walkObject(object, seen, depth + 1);
  } finally {
    seen.delete(object);
  }
}

function walkObject(object: object, seen: Set<object>, depth: number): JsonValue {
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  if (ArrayBuffer.isView(object)) return `[${object.constructor.name} of ${object.byteLength} bytes]`;
  if (typeof Headers !== 'undefined' && object instanceof Headers) return walkEntries([...object.entries()], seen, depth);
  if (object instanceof Map)
    return walkEntries(
      [...object.entries()].map(([k, v]) => [String(k), v]),
      seen,
      depth,
    );
  if (object instanceof Set) return [...object].map((v) => walk(v, seen, depth));
  if (Array.isArray(object)) {
    if (object.length === 2 && typeof object[0] === 'string' && isSecretKey(object[0])) return [redactText(object[0]), REDACTED];
    return object.map((v) => walk(v, seen, depth));
  }
  const entries: Array<[string, unknown]> = Object.entries(object);
  // Errors keep their name and message, which are not enumerable own properties.
  if (object instanceof Error) entries.unshift(['name', object.name], ['message', object.message]);
  return walkEntries(entries, seen, depth);
}

function walkEntries(entries: ReadonlyArray<readonly [string, unknown]>, seen: Set<object>, depth: number): JsonValue {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, v] of entries) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    const safe = isSecretKey(key) && v !== null && v !== '' ? REDACTED : walk(v, seen, depth);
    // defineProperty, not assignment: a key such as `__proto__` from untrusted data stays a key.
    Object.defineProperty(out, redactText(key), { value: safe, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A thrown value as one line of text (`Name: message`), redacted. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return redactText(errorText(error));
    if (typeof error === 'object' && error !== null && 'message' in error) {
      const name = 'name' in error && typeof error.name === 'string' ? error.name : 'Error';
      return redactText(`${name}: ${safeString(error.message)}`);
    }
    if (typeof error === 'string') return redactText(error);
    return redactText(JSON.stringify(redact(error)) ?? safeString(error));
  } catch {
    // A value whose getters or toJSON throw: say what it is, not what it holds.
    return redactText(safeString(error));
  }
}
