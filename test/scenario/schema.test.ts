// Goal: the JSON Schema that editors use accepts exactly what `faultline run` accepts, in the
// dialect editors and validators support (draft-07), with named definitions and few, precise errors
// for one mistake. Method: ajv (draft-07, strict) compiles the committed schema; valid files, single
// mistakes and ≥ 400 fast-check mutations of the example go to both ajv and loadScenarioFile, and
// their verdicts must agree.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadScenarioFile } from '../../harness/index.ts';
import { schemaFile, schemaText } from '../../harness/scenario/writeSchema.ts';

const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
const validate = ajv.compile(schema);
const dir = mkdtempSync(path.join(tmpdir(), 'faultline-schema-'));
const weather = path.resolve('scenarios/examples/weather.ts');
const example = parse(readFileSync('scenarios/examples/weather-tool-down.yaml', 'utf8').replaceAll('./weather.js', weather)) as Record<string, unknown>;

let count = 0;
async function loaderAccepts(value: unknown): Promise<boolean> {
  const file = path.join(dir, `case-${count++}.yaml`);
  writeFileSync(file, stringify(value));
  try {
    await loadScenarioFile(file);
    return true;
  } catch {
    return false;
  }
}

const clone = <T>(v: T): T => structuredClone(v);

describe('the scenario JSON Schema', () => {
  it('is draft-07 with named definitions, and is the committed file', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const names = Object.keys(schema.definitions as object);
    expect(names).toEqual(expect.arrayContaining(['ModuleRef', 'Model', 'Latency', 'FaultRule', 'LatencyRule', 'StreamCutRule', 'Property']));
    expect(names.filter((n) => n.startsWith('__'))).toEqual([]);
    expect(readFileSync(schemaFile, 'utf8')).toBe(schemaText());
  });

  it('accepts the example, as the loader does', async () => {
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(await loaderAccepts(example)).toBe(true);
  });

  it('answers one bad parameter with a few errors at that parameter, as the loader rejects it', async () => {
    const bad = clone(example);
    (bad.properties as unknown[])[0] = { gracefulDegradation: { withinMs: '2m' } };
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.length).toBeLessThanOrEqual(2);
    expect(validate.errors?.map((e) => e.instancePath)).toContain('/properties/0/gracefulDegradation/withinMs');
    expect(await loaderAccepts(bad)).toBe(false);

    const rule = clone(example);
    (rule.faults as Array<Record<string, unknown>>)[1] = { target: 'tool:forecast', kind: 'latency', params: { latency: { kind: 'fixed', mss: 5 } } };
    expect(validate(rule)).toBe(false);
    expect(validate.errors?.length).toBeLessThanOrEqual(4);
    expect(validate.errors?.some((e) => e.instancePath.startsWith('/faults/1/params/latency'))).toBe(true);
    expect(await loaderAccepts(rule)).toBe(false);
  });

  it('agrees with the loader on every mutation of the example', async () => {
    const paths: Array<Array<string | number>> = [
      ['name'],
      ['runs'],
      ['expectations', 'naive'],
      ['world', 'models', 'gpt-4o-mini', 'script', 0],
      ['world', 'tools'],
      ['faults', 0, 'kind'],
      ['faults', 0, 'target'],
      ['faults', 1, 'params', 'latency', 'maxMs'],
      ['faults', 1, 'params', 'latency', 'kind'],
      ['faults', 1, 'when'],
      ['properties', 0],
      ['properties', 0, 'gracefulDegradation', 'withinMs'],
      ['properties', 1],
      ['world', 'limits'],
      ['schedules'],
      ['world', 'network'],
    ];
    const replacement = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.integer({ min: -5, max: 200_000 }),
      fc.double({ min: -1, max: 2, noNaN: true }),
      fc.constantFrom('', 'fifo', 'pct', 'global', 'error', 'latency', 'explode', 'pass', '2m', 'noDeadlock', 'tool:forecast', `${weather}#tools`),
      fc.constantFrom({}, [], { kind: 'fixed', ms: 5 }, { calls: [0] }, { probability: 0.5 }, { virtualTimeMs: 1000 }, { unknown: 1 }, ['fifo', 'random']),
      fc.constantFrom({ gracefulDegradation: {} }, { boundedSpend: { usd: 1 } }, { boundedSpend: { usd: -1 } }),
    );
    let disagreements = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), replacement, fc.boolean(), async (at, value, addField) => {
        const mutated = clone(example);
        let parent = mutated as Record<string | number, unknown>;
        for (const step of at.slice(0, -1)) {
          const next = parent[step];
          if (typeof next !== 'object' || next === null) return;
          parent = next as Record<string | number, unknown>;
        }
        const key = at.at(-1) as string | number;
        if (value === undefined) delete parent[key];
        else parent[key] = value;
        if (addField) parent.extraField = 1;
        const byAjv = validate(mutated);
        const byLoader = await loaderAccepts(mutated);
        if (byAjv !== byLoader) disagreements++;
        expect({ at, value, addField, byAjv, errors: validate.errors?.slice(0, 2) }).toEqual({
          at,
          value,
          addField,
          byAjv: byLoader,
          errors: validate.errors?.slice(0, 2),
        });
      }),
      { seed: 7, numRuns: 400 },
    );
    expect(disagreements).toBe(0);
  });
});
