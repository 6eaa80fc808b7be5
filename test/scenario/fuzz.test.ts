// Goal: no scenario file or fault plan, however hostile, gets a raw error: every rejection is a
// Faultline error whose every problem is located (file:line:column for files, the field path for
// plans), and every file that loads also runs. Method: fast-check generates 2,000+ scenario files
// (field mutations, wrong module exports, deep nesting, aliases and alias bombs, huge numbers,
// broken syntax) and 2,000+ plans (any value, BigInt included, and mutated rules), and each is fed
// to loadScenarioFile / parseFaultPlan and, when it loads, to one run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCase } from '../../harness/check/checkScenario.ts';
import { isFaultlineError, loadScenarioFile, parseFaultPlan } from '../../harness/index.ts';

const fixtures = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures');
const ref = (name: string) => `${fixtures}/fuzzExports.ts#${name}`;
const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = () => ({
  name: 'fuzzed',
  agents: { naive: ref('agent'), hardened: ref('agent') },
  expectations: { naive: 'fail', hardened: 'pass' },
  input: ref('input'),
  world: {
    models: { 'gpt-4o-mini': ref('brain'), scripted: { script: ['hi'] } },
    tools: ref('tools'),
    handlers: ref('handlers'),
    prices: { scripted: { inputPerMTok: 1, outputPerMTok: 2 } },
    latency: { kind: 'uniform', minMs: 5, maxMs: 50 },
    limits: { virtualTimeMs: 60_000, wallClockMs: 5_000 },
  },
  faults: [
    { target: 'tool:lookup', kind: 'error' },
    { target: 'llm:*', kind: 'latency', params: { latency: { kind: 'fixed', ms: 100 } }, when: { calls: [0] } },
  ],
  properties: ['noDeadlock', { gracefulDegradation: { withinMs: 10_000 } }],
  runs: 5,
});

const PATHS: ReadonlyArray<ReadonlyArray<string | number>> = [
  ['name'],
  ['agents', 'naive'],
  ['agents', 'other'],
  ['expectations', 'naive'],
  ['expectations', 'ghost'],
  ['input'],
  ['world'],
  ['world', 'models', 'gpt-4o-mini'],
  ['world', 'models', 'unpriced-model'],
  ['world', 'models', 'scripted', 'script'],
  ['world', 'tools'],
  ['world', 'handlers'],
  ['world', 'mcp', 'crm'],
  ['world', 'latency'],
  ['world', 'latency', 'minMs'],
  ['world', 'limits', 'virtualTimeMs'],
  ['world', 'limits', 'steps'],
  ['world', 'prices'],
  ['faults'],
  ['faults', 0, 'kind'],
  ['faults', 0, 'target'],
  ['faults', 1, 'params'],
  ['faults', 1, 'when', 'calls'],
  ['faults', 1, 'when', 'afterMs'],
  ['variants', 'storm'],
  ['properties'],
  ['properties', 0],
  ['properties', 1, 'gracefulDegradation'],
  ['schedules'],
  ['heal'],
  ['runs'],
  ['unknownField'],
];

const deep = fc.integer({ min: 1, max: 3_000 }).map((n) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = i % 2 === 0 ? [v] : { d: v };
  return v;
});
const badRef = fc.constantFrom(
  ref('aNumber'),
  ref('aString'),
  ref('anObject'),
  ref('aFunction'),
  ref('toolLikeButNot'),
  ref('missingExport'),
  `${fixtures}/nope.ts#x`,
  `${fixtures}/throwsOnImport.ts#x`,
  'no-hash-here',
  '#onlyExport',
);
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  badRef,
  deep,
  fc.constantFrom(0, -1, 1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 0.5, '', ' ', '\u0000', 'a'.repeat(5_000), 'kind: error', '*alias', '&anchor x'),
);

type Mutation = { op: 'set'; at: (typeof PATHS)[number]; value: unknown } | { op: 'delete'; at: (typeof PATHS)[number] };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.constantFrom(...PATHS), value }),
  fc.record({ op: fc.constant('delete' as const), at: fc.constantFrom(...PATHS) }),
);

function apply(doc: Record<string, unknown>, m: Mutation): void {
  let node: Record<string | number, unknown> = doc;
  for (const key of m.at.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = typeof m.at[m.at.indexOf(key) + 1] === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = m.at[m.at.length - 1] as string | number;
  if (m.op === 'delete') delete node[last];
  else node[last] = m.value;
}

const textMutation = fc.oneof(
  fc.constant((t: string) => t),
  fc.nat().map((n) => (t: string) => t.slice(0, n % (t.length + 1))),
  fc
    .tuple(fc.nat(), fc.constantFrom('\t', ':', '[', '{', '"', "'", '&a', '*a', '!!binary', '---\n', '\n  - ', '?', '|', '%YAML 1.1\n', '\uFEFF', '\uD800'))
    .map(
      ([n, s]) =>
        (t: string) =>
          t.slice(0, n % (t.length + 1)) + s + t.slice(n % (t.length + 1)),
    ),
);

/** Alias bombs and alias-heavy documents, of random width and depth. */
const aliasDocument = fc.record({ width: fc.integer({ min: 2, max: 12 }), depth: fc.integer({ min: 1, max: 12 }) }).map(({ width, depth }) => {
  let text = `a0: &a0 [${Array(width).fill('"x"').join(',')}]\n`;
  for (let i = 1; i <= depth; i++)
    text += `a${i}: &a${i} [${Array(width)
      .fill(`*a${i - 1}`)
      .join(',')}]\n`;
  return `${text}name: fuzzed\nagent: ${ref('agent')}\nproperties: [noDeadlock]\nrunsAlias: *a${depth}\n`;
});

const scenarioText = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.tuple(fc.array(mutation, { maxLength: 4 }), fc.boolean(), textMutation).map(([ms, json, mutate]) => {
      const doc = base() as unknown as Record<string, unknown>;
      for (const m of ms) apply(doc, m);
      let text: string;
      try {
        text = json ? JSON.stringify(doc, null, 1) : stringify(doc, { aliasDuplicateObjects: false });
      } catch {
        text = JSON.stringify(String(doc));
      }
      return mutate(text);
    }),
  },
  { weight: 1, arbitrary: aliasDocument },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
);

const FILE_LINE = /^(.+):(\d+):(\d+): /;

describe('scenario files, fuzzed', () => {
  it('2,000+ files: every rejection is a located Faultline error, and every file that loads runs', async () => {
    const tally = { cases: 0, loaded: 0, rejected: 0, located: 0, problems: 0, ran: 0 };
    const raw: string[] = [];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(scenarioText, fc.boolean(), async (text, yamlName) => {
        const file = path.join(dir, `case-${n++}.${yamlName ? 'yaml' : 'json'}`);
        writeFileSync(file, text);
        tally.cases++;
        let scenario: Awaited<ReturnType<typeof loadScenarioFile>>;
        try {
          scenario = await loadScenarioFile(file);
        } catch (error) {
          tally.rejected++;
          if (!isFaultlineError(error)) {
            raw.push(`${file}: ${String(error)}`);
            return;
          }
          const [head, ...details] = error.message.split('\n  - ');
          expect(head).toContain(file);
          const lines = details.length > 0 ? details : [head as string];
          tally.problems += lines.length;
          const located = lines.filter((l) => FILE_LINE.exec(l)?.[1] === file);
          expect(located, error.message).toHaveLength(lines.length);
          tally.located++;
          return;
        }
        tally.loaded++;
        // A file that loads must run: no invalid-options error at run time, with the whole fault space on.
        const { result } = await runCase(scenario, scenario.agent, { runSeed: 1, plan: scenario.faults ?? [], schedule: { kind: 'fifo' } });
        expect(result.outcome).toBeDefined();
        tally.ran++;
      }),
      { seed: 4242, numRuns: 2_100 },
    );
    console.log(`scenario-file fuzz: ${JSON.stringify(tally)}`);
    expect(raw).toEqual([]);
    expect(tally.cases).toBeGreaterThanOrEqual(2_000);
    expect(tally.located).toBe(tally.rejected);
    expect(tally.loaded).toBeGreaterThan(50);
    expect(tally.ran).toBe(tally.loaded);
  }, 600_000);
});

describe('fault plans, fuzzed', () => {
  const rule = fc.record(
    {
      target: fc.oneof(fc.constantFrom('llm', 'tool:x', 'http:api.test', 'store:kv', 'mcp:crm', 'nope:x', '*', ''), fc.anything()),
      kind: fc.oneof(fc.constantFrom('latency', 'outage', 'error', 'corrupt', 'stream-cut', 'lost-ack', 'bogus'), fc.anything()),
      params: fc.anything({ withBigInt: true, maxDepth: 3 }),
      when: fc.oneof(
        fc.constant(undefined),
        fc.record({ calls: fc.anything({ withBigInt: true }), afterMs: fc.anything({ withBigInt: true }) }, { requiredKeys: [] }),
      ),
      id: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const plan = fc.oneof(
    fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, maxDepth: 6 }),
    fc.array(rule, { maxLength: 4 }),
    fc.array(fc.anything({ withBigInt: true }), { maxLength: 3 }),
    deep.map((d) => [d]),
  );

  it('a BigInt where a number belongs is a located Faultline error, not a TypeError', () => {
    const bigint = () => parseFaultPlan([{ target: 'tool:x', kind: 'latency', params: { latency: { kind: 'fixed', ms: 10n } } }]);
    expect(bigint).toThrow(/faults\[0\]\.params\.latency\.ms: Invalid input: expected number, received bigint \(got 10n\)/);
  });

  it('2,000+ plans: valid or a Faultline error naming each problem by its field path', () => {
    const tally = { cases: 0, valid: 0, rejected: 0 };
    fc.assert(
      fc.property(plan, (p) => {
        tally.cases++;
        try {
          parseFaultPlan(p);
          tally.valid++;
        } catch (error) {
          expect(isFaultlineError(error), String(error)).toBe(true);
          tally.rejected++;
          const details = (error as Error).message.split('\n  - ').slice(1);
          expect(details.length).toBeGreaterThan(0);
          for (const d of details) expect(d).toMatch(/^faults(\[\d+\])?[.[:]/);
        }
      }),
      { seed: 77, numRuns: 2_500 },
    );
    console.log(`fault-plan fuzz: ${JSON.stringify(tally)}`);
    expect(tally.cases).toBeGreaterThanOrEqual(2_000);
    expect(tally.valid).toBeGreaterThan(0);
  });
});
