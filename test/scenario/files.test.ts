// Goal: scenario files are a way to write scenarios without code that a new user can get right
// from the README, and a wrong file is always rejected with its file, line, field and expected
// shape — never a crash or a stack trace. Method: the README's example, hand-broken files, a
// fast-check fuzz of malformed files, and the committed JSON Schema against the zod schema.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkScenario, isFaultlineError, loadScenarioFile } from '../../harness/index.ts';
import { schemaFile, schemaText } from '../../harness/scenario/writeSchema.ts';
import '../../harness/vitest.ts';

const example = 'scenarios/examples/weather-tool-down.yaml';
const dir = mkdtempSync(path.join(tmpdir(), 'faultline-scenarios-'));
const weather = path.resolve('scenarios/examples/weather.ts');

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text.replace(/\.\/weather\.(ts|js)/g, weather));
  return file;
}

async function rejection(file: string): Promise<string> {
  try {
    await loadScenarioFile(file);
  } catch (error) {
    expect(isFaultlineError(error), String(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`${file} was accepted`);
}

describe('scenario files', () => {
  it('runs the README example against its sample agents: naive fails, hardened passes', async () => {
    const scenario = await loadScenarioFile(example);
    expect(scenario.expectations).toEqual({ naive: 'fail', hardened: 'pass' });
    const naive = await checkScenario(scenario, { agent: scenario.agents?.naive, runs: 100 });
    expect(naive.counterexample?.case.plan).toEqual([
      { target: 'tool:forecast', kind: 'error', params: { message: 'simulated failure' }, when: { calls: [0] } },
    ]);
    const hardened = await checkScenario(scenario, { agent: scenario.agents?.hardened, runs: 100 });
    expect(hardened).toHold();
  });

  it('rejects a bad file with every problem: file, line and column, field path, expected shape', async () => {
    const text = readFileSync(example, 'utf8')
      .replace('kind: error', 'kind: explode')
      .replace('gracefulDegradation: { withinMs: 10000 }', 'gracefulDegradation: { within: 10000 }')
      .replace('  - noDeadlock', '  - noDeadlok');
    const file = write('broken.yaml', text);
    const message = await rejection(file);
    expect(message).toContain(`${file} is not a valid scenario file (1 problem)`);
    expect(message).toMatch(
      new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: faults\\[0\\]\\.kind: unknown kind \\(got "explode"\\); expected one of latency, `),
    );
    // Properties are checked once the file's shape is right.
    const fixed = write('props.yaml', text.replace('kind: explode', 'kind: error'));
    const props = await rejection(fixed);
    expect(props).toContain('(2 problems)');
    expect(props).toMatch(/props\.yaml:29:\d+: properties\[0\]\.gracefulDegradation\.within: unknown field "within"; did you mean "withinMs"\?/);
    expect(props).toMatch(/props\.yaml:30:\d+: properties\[1\]: unknown property "noDeadlok"; did you mean "noDeadlock"\?/);
    // An unknown top-level field is reported at itself, with the nearest field.
    const field = await rejection(write('field.yaml', readFileSync(example, 'utf8').replace('runs: 100', 'runz: 100')));
    expect(field).toMatch(/field\.yaml:31:1: runz: unknown field "runz"; did you mean "runs"\?/);
  });

  it('reports YAML syntax errors, missing modules and missing exports at their line', async () => {
    expect(await rejection(write('syntax.yaml', 'name: [unclosed\nproperties: [noDeadlock]\n'))).toMatch(/syntax\.yaml:\d+:\d+: /);
    const badRef = readFileSync(example, 'utf8').replace('./weather.js#naive', './nowhere.ts#naive').replace('./weather.js#hardened', './weather.js#hardend');
    const message = await rejection(write('refs.yaml', badRef));
    expect(message).toMatch(/refs\.yaml:8:\d+: agents\.naive: there is no file \.\/nowhere\.ts/);
    expect(message).toMatch(/refs\.yaml:9:\d+: agents\.hardened: .*weather\.(ts|js) has no export "hardend"; it exports "tools", "naive", "hardened"/);
  });

  it('always rejects malformed files with a Faultline error, never a crash', async () => {
    const valid = readFileSync(example, 'utf8');
    const lines = valid.split('\n');
    const malformed = fc.oneof(
      fc.anything().map((x) => stringify(x) ?? ''),
      fc.string(),
      // A valid file with one line replaced or deleted.
      fc
        .tuple(
          fc.nat({ max: lines.length - 1 }),
          fc.oneof(fc.constant(''), fc.string(), fc.constantFrom('kind: 12', '  - : x', 'properties: {}', 'runs: -1', 'world: []')),
        )
        .map(([i, line]) => lines.map((l, j) => (j === i ? line : l)).join('\n')),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(malformed, async (text) => {
        const file = write(`fuzz-${n++}.yaml`, text);
        try {
          await loadScenarioFile(file);
        } catch (error) {
          expect(isFaultlineError(error), `${String(error)}\n--- ${file}\n${text}`).toBe(true);
          expect((error as Error).message).toContain(file);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('keeps the committed JSON Schema in step with the zod schema (npm run schema)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(schemaText());
    expect(schemaText()).toContain('"gracefulDegradation"');
    expect(JSON.parse(schemaText()).required).toEqual(['name', 'properties']);
  });
});
