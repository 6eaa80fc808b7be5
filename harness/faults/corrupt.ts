// Corruption: one plausible wrong fact — a number, a date, a name or a boolean changed — in an LLM
// answer or a tool result. Replacements come from a faker instance seeded from the run, so they are
// realistic and reproducible. Each change is returned as a taint, which the caller records in the
// trace so that a property can later ask whether the wrong fact reached the output or a store.
// The faker library is loaded on demand, before a run whose plan has a corrupt rule (onDemand.ts).
import type { Faker } from '@faker-js/faker';
import { fakerLibrary } from '../onDemand.ts';
import type { RandomStream } from '../sim/rng.ts';

export type FactKind = 'number' | 'date' | 'name' | 'boolean';

export interface Taint {
  readonly fact: FactKind;
  /** Where in a JSON value the fact was (`items[2].price`), or `text` for free text. */
  readonly path: string;
  readonly original: string;
  readonly corrupted: string;
}

interface Candidate {
  readonly fact: FactKind;
  readonly path: string;
  readonly original: string;
  /** For text: where the fact starts. */
  readonly index?: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?$/;
const NAME_KEY = /(^|_)(name|customer|owner|author|assignee|contact|person|city|company|vendor)$/i;
const PERSON = /^[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}$/;

const TEXT_PATTERNS: ReadonlyArray<readonly [FactKind, RegExp]> = [
  ['date', /\b\d{4}-\d{2}-\d{2}\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}\b/g],
  ['number', /(?<![\w.-])\$?\d[\d,]*(?:\.\d+)?(?![\w-])/g],
  ['boolean', /\b(?:true|false)\b/g],
  ['name', /\b[A-Z][a-z]+ [A-Z][a-z]+\b/g],
];

/** A faker seeded from `stream`, built on first use (building one costs a few milliseconds). */
export function seededFaker(stream: RandomStream): Faker {
  const { en, Faker } = fakerLibrary.get();
  const faker = new Faker({ locale: [en] });
  faker.seed(stream.uint32());
  return faker;
}

/** Changes one fact of the wanted kind in a JSON value or a text; undefined when there is none. */
export function corrupt<T>(value: T, want: FactKind | 'any', stream: RandomStream, faker: () => Faker): { value: T; taint: Taint } | undefined {
  if (typeof value === 'string') {
    const found = textCandidates(value).filter((c) => want === 'any' || c.fact === want);
    if (found.length === 0) return undefined;
    const c = stream.pick(found);
    const corrupted = replacement(c, stream, faker);
    const index = c.index ?? 0;
    const text = value.slice(0, index) + corrupted + value.slice(index + c.original.length);
    return { value: text as T, taint: { fact: c.fact, path: 'text', original: c.original, corrupted } };
  }
  const found: Candidate[] = [];
  collect(value, '', undefined, found);
  const wanted = found.filter((c) => want === 'any' || c.fact === want);
  if (wanted.length === 0) return undefined;
  const c = stream.pick(wanted);
  const corrupted = replacement(c, stream, faker);
  const copy = structuredClone(value);
  setAt(copy, c.path, c.fact === 'number' ? Number(corrupted) : c.fact === 'boolean' ? corrupted === 'true' : corrupted);
  return { value: copy, taint: { fact: c.fact, path: c.path, original: c.original, corrupted } };
}

function textCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  const taken: Array<[number, number]> = [];
  for (const [fact, pattern] of TEXT_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      out.push({ fact, path: 'text', original: m[0], index: start });
    }
  }
  return out.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
}

function collect(value: unknown, path: string, key: string | undefined, out: Candidate[]): void {
  if (typeof value === 'number' && Number.isFinite(value)) out.push({ fact: 'number', path, original: String(value) });
  else if (typeof value === 'boolean') out.push({ fact: 'boolean', path, original: String(value) });
  else if (typeof value === 'string') {
    if (ISO_DATE.test(value)) out.push({ fact: 'date', path, original: value });
    else if ((key !== undefined && NAME_KEY.test(key)) || PERSON.test(value)) out.push({ fact: 'name', path, original: value });
  } else if (Array.isArray(value)) value.forEach((v, i) => collect(v, `${path}[${i}]`, key, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) collect(v, path === '' ? k : `${path}.${k}`, k, out);
  }
}

function setAt(root: unknown, path: string, next: unknown): void {
  const parts = path.match(/[^.[\]]+/g) ?? [];
  let node = root as Record<string, unknown>;
  for (let i = 0; i < parts.length - 1; i++) node = node[parts[i] as string] as Record<string, unknown>;
  node[parts[parts.length - 1] as string] = next;
}

/** A plausible but different value for a fact. */
function replacement(c: Candidate, stream: RandomStream, faker: () => Faker): string {
  switch (c.fact) {
    case 'boolean':
      return c.original === 'true' ? 'false' : 'true';
    case 'number':
      return shiftNumber(c.original, stream);
    case 'date':
      return shiftDate(c.original, stream);
    case 'name': {
      const f = faker();
      for (let i = 0; i < 5; i++) {
        const name = c.original.includes(' ') ? `${f.person.firstName()} ${f.person.lastName()}` : f.person.firstName();
        if (name !== c.original) return name;
      }
      return `${c.original} Jr`;
    }
  }
}

/** 1,250.00 → 1,375.00: the same format, off by 5–40%, never equal. */
function shiftNumber(original: string, stream: RandomStream): string {
  const prefix = original.startsWith('$') ? '$' : '';
  const body = original.slice(prefix.length);
  const decimals = body.includes('.') ? (body.split('.')[1] as string).length : 0;
  const grouped = body.includes(',');
  const n = Number(body.replace(/,/g, ''));
  const factor = (stream.bool() ? 1 : -1) * stream.float(0.05, 0.4);
  let next = n === 0 ? stream.int(1, 9) : n * (1 + factor);
  next = Number(next.toFixed(decimals));
  if (next === n) next = n + (decimals > 0 ? 10 ** -decimals : 1);
  const text = grouped ? next.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }) : next.toFixed(decimals);
  return prefix + text;
}

/** Moves a date 1–400 days, keeping its format. */
function shiftDate(original: string, stream: RandomStream): string {
  const days = (stream.bool() ? 1 : -1) * stream.int(1, 400);
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(original);
  const base = iso === null ? new Date(`${original} UTC`) : new Date(Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])));
  const shifted = new Date(base.getTime() + days * 86_400_000);
  if (iso !== null) return shifted.toISOString().slice(0, 10) + original.slice(10);
  return shifted.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}
