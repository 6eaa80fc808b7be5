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

  it('rejects at load time, located, what used to fail only at run time', async () => {
    const exports = path.resolve('test/fixtures/fuzzExports.ts');
    const cases: Array<[string, string, RegExp]> = [
      [
        'a tools ref that is a function',
        `world:\n  tools: ${exports}#aFunction`,
        /:\d+:\d+: world\.tools: expected an exported array of tools \(defineTool\(\.\.\.\)\), got a function/,
      ],
      ['virtualTimeMs 0', 'world:\n  limits:\n    virtualTimeMs: 0', /:\d+:\d+: world\.limits\.virtualTimeMs: Too small: expected number to be >0/],
      [
        'an unpriced model',
        `world:\n  models:\n    my-model: ${exports}#brain`,
        /:\d+:\d+: world\.models\["my-model"\]: no price for model "my-model": add world\.prices\["my-model"\]/,
      ],
      [
        'an agent that is not a function',
        `agents:\n  naive: ${exports}#aNumber`,
        /:\d+:\d+: agents\.naive: expected a function exported by the module: an agent, \(world, input\) => answer, got the number 42/,
      ],
      [
        'an expectation for no agent',
        `agents:\n  naive: ${exports}#agent\nexpectations:\n  naiv: fail`,
        /:\d+:\d+: expectations\.naiv: there is no agent "naiv" in agents\. Did you mean "naive"\?/,
      ],
      [
        'a fault that cannot act where placed',
        'faults:\n  - { target: "store:kv", kind: stream-cut }',
        /:\d+:\d+: faults\[0\]\.kind: "stream-cut" cannot happen at "store:kv"/,
      ],
      ['a uniform latency upside down', 'world:\n  latency: { kind: uniform, minMs: 50, maxMs: 5 }', /:\d+:\d+: world\.latency: minMs must be <= maxMs/],
    ];
    for (const [label, fields, expected] of cases) {
      const file = write(`late-${label.replaceAll(' ', '-')}.yaml`, `name: late\nagent: ${exports}#agent\nproperties: [noDeadlock]\n${fields}\n`);
      const message = await rejection(file);
      expect(message, label).toMatch(expected);
      expect(message, label).toContain(file);
    }
  });

  it('refuses a YAML alias bomb and absurd nesting, located, without parsing them whole', async () => {
    let bomb = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 1; i <= 12; i++)
      bomb += `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]\n`;
    const bombFile = write('bomb.yaml', `${bomb}name: *m\n`);
    expect(await rejection(bombFile)).toMatch(new RegExp(`${bombFile}:2:\\d+: too many aliases`));
    const deepFile = write('deep.yaml', `name: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
    expect(await rejection(deepFile)).toMatch(/deep\.yaml:1:\d+: the file nests more than 256 levels deep/);
  });

  it('keeps the committed JSON Schema in step with the zod schema (npm run schema)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(schemaText());
    expect(schemaText()).toContain('"gracefulDegradation"');
    expect(JSON.parse(schemaText()).required).toEqual(['name', 'properties']);
  });
});
