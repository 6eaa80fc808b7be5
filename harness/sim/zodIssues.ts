// zod's validation issues, said the way Faultline's errors say things: one problem per line, at the
// exact field (an unknown field is reported at itself, not at the object holding it), with what was
// expected and, where a name was wrong, the nearest valid one. Used for fault plans, options and
// scenario files alike.
import type { z } from 'zod';
import { didYouMean, nearest } from './didYouMean.ts';

export interface Problem {
  /** The field the problem is at, from the root of what was validated. */
  readonly path: ReadonlyArray<PropertyKey>;
  /** What is wrong and what was expected, without the path. */
  readonly message: string;
}

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly discriminator?: string;
}

const defOf = (schema: z.ZodType | undefined): Def | undefined => (schema as unknown as { _zod?: { def: Def } } | undefined)?._zod?.def;

/** The schema that validates the value at `path` (choosing union members by the data), if one can be told. */
function schemaAt(schema: z.ZodType | undefined, path: ReadonlyArray<PropertyKey>, data: unknown): z.ZodType | undefined {
  let current = schema;
  let value = data;
  let i = 0;
  // Each step unwraps a wrapper, picks a union member or descends one path segment: bounded by the
  // schema's nesting, and by this limit whatever the schema.
  for (let steps = 0; steps < 1_000 && current !== undefined; steps++) {
    const def = defOf(current);
    if (def === undefined) return undefined;
    const wrapped = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (wrapped !== undefined) {
      current = wrapped;
      continue;
    }
    if (def.type === 'union') {
      const options = def.options ?? [];
      const key = def.discriminator;
      const tag = key !== undefined && typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      const byTag = key === undefined ? undefined : options.find((o) => literalOf(defOf(o)?.shape?.[key]) === tag);
      current = byTag ?? options.find((o) => defOf(o)?.type === 'object');
      continue;
    }
    if (i === path.length) return current;
    const step = path[i++];
    value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[step as PropertyKey] : undefined;
    if (def.type === 'object') current = def.shape?.[String(step)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return undefined;
  }
  return undefined;
}

function literalOf(schema: z.ZodType | undefined): unknown {
  const def = defOf(schema) as { values?: readonly unknown[] } | undefined;
  return def?.values?.[0];
}

/** The field names an object schema at `path` allows (for did-you-mean), or [] when unknown. */
export function fieldsAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>, data: unknown): string[] {
  const at = defOf(schemaAt(schema, path, data));
  return at?.type === 'object' ? Object.keys(at.shape ?? {}) : [];
}

function got(input: unknown): string {
  if (input === undefined) return '';
  let text: string | undefined;
  try {
    text = typeof input === 'bigint' ? `${input}n` : JSON.stringify(input);
  } catch {
    text = String(typeof input);
  }
  return text === undefined ? '' : ` (got ${text.slice(0, 80)})`;
}

/**
 * One problem per field for each zod issue: unknown fields each at their own path with the nearest
 * allowed name, a wrong discriminator (a fault `kind`) with the nearest valid value, anything else
 * with zod's message and the value given.
 */
export function explainIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, data: unknown): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const input = (issue as { input?: unknown }).input;
    if (issue.code === 'unrecognized_keys') {
      const known = fieldsAt(schema, issue.path, data);
      for (const key of issue.keys) {
        const hint = didYouMean(key, known);
        out.push({ path: [...issue.path, key], message: `unknown field "${key}"${hint || (known.length > 0 ? `; expected one of ${known.join(', ')}` : '')}` });
      }
      continue;
    }
    const discriminator = (issue as { discriminator?: string }).discriminator;
    const options = (issue as { options?: readonly unknown[] }).options;
    if (issue.code === 'invalid_union' && discriminator !== undefined && options !== undefined) {
      const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[discriminator] : undefined;
      const names = options.map(String);
      const path = issue.path.at(-1) === discriminator ? issue.path : [...issue.path, discriminator];
      const close = typeof value === 'string' ? nearest(value, names) : undefined;
      out.push({
        path,
        message:
          value === undefined
            ? `missing; expected one of ${names.join(', ')}`
            : close !== undefined
              ? `unknown ${discriminator} ${JSON.stringify(value)}; did you mean "${close}"?`
              : `unknown ${discriminator}${got(value)}; expected one of ${names.join(', ')}`,
      });
      continue;
    }
    out.push({ path: issue.path, message: `${issue.message}${got(input)}` });
  }
  return out;
}

/** `faults[2].params.latency`: a path as a person writes it, after `source`. */
export function pathText(source: string, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, p) => (typeof p === 'number' ? `${text}[${p}]` : text === '' ? String(p) : `${text}.${String(p)}`), source);
}
