// Goal: the JSON report is a documented, versioned format that round-trips, that its JSON Schema
// describes exactly, and whose reader rejects a bad file with a message naming the field and the fix.
// Method: a real failing run (test/reports/fixtures.ts) written to a temporary folder and read
// back; the generated schema compared with report.schema.json and used by a standard validator;
// then broken copies of the report, one fault each.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport, passedOf, readReport, reportJson, writeJsonReport } from '../../reports/jsonReport.ts';
import { isReportError } from '../../reports/reportError.ts';
import { REPORT_SCHEMA_FILE, reportJsonSchema, reportJsonSchemaText } from '../../reports/reportJsonSchema.ts';
import type { Report } from '../../reports/reportSchema.ts';
import { deadlockInput } from './fixtures.ts';

let report: Report;
let dir: string;

beforeAll(async () => {
  report = buildReport(await deadlockInput());
  dir = mkdtempSync(path.join(tmpdir(), 'faultline-report-'));
});

/** Writes `value` as a report file and returns the error readReport raises for it. */
async function rejection(value: unknown, name = 'bad.json'): Promise<Error> {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  const error = await readReport(file).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (error === undefined) throw new Error(`readReport accepted ${name}`);
  expect(isReportError(error)).toBe(true);
  return error;
}

const mutate = (change: (r: Record<string, unknown>) => void): unknown => {
  const copy = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
  change(copy);
  return copy;
};

describe('JSON report', () => {
  it('holds the scenario, seed, fault plan, outcome, verdicts, spend, runs, replay and trace', () => {
    expect(report.schema).toBe('faultline.report/v1');
    expect(report.scenario.name).toBe('reports/deadlock-demo');
    expect(report.agent).toBe('naive');
    expect(report.seed).toBe('7');
    expect(report.outcome).toBe('deadlock');
    expect(report.passed).toBe(false);
    expect(report.faults.map((f) => f.kind)).toEqual(['error', 'latency']);
    expect(report.verdicts.map((v) => [v.property, v.ok])).toEqual([
      ['no-deadlock', false],
      ['no-untrusted-markup-in-stores', false],
      ['bounded-spend', true],
    ]);
    expect(report.spend.calls).toBe(1);
    expect(report.spend.attempts).toBe(1);
    // Without a check's coverage, the report carries the run's own: each rule matched, fired and changed one call.
    expect(report.coverage?.rules.map((r) => [r.rule, r.matched, r.fired, r.changed])).toEqual([
      ['tool-outage', 2, 1, 1],
      ['latency@llm:*', 1, 1, 1],
    ]);
    expect(report.coverage?.unmatched).toEqual([]);
    expect(report.runs).toEqual({ total: 40, failed: 9, firstFailureAt: 3, shrinkSteps: 5 });
    expect(report.replay).toContain('--seed 7');
    expect(report.cycle?.sentence).toContain('waits for lock');
    expect(report.trace.at(-1)).toMatchObject({ type: 'run.end', outcome: 'deadlock' });
  });

  it('round-trips through readReport unchanged', async () => {
    const file = path.join(dir, 'report.json');
    await writeJsonReport(file, report);
    expect(await readReport(file)).toEqual(report);
    expect(readFileSync(file, 'utf8')).toBe(reportJson(report));
  });

  it('is a pure function of the run: the same seed writes the same bytes', async () => {
    expect(reportJson(buildReport(await deadlockInput()))).toBe(reportJson(report));
  });

  it('passes when every property held, or with no properties when the run ended ok', () => {
    expect(passedOf('deadlock', [{ ok: true }])).toBe(true);
    expect(passedOf('ok', [{ ok: true }, { ok: false }])).toBe(false);
    expect(passedOf('ok', [])).toBe(true);
    expect(passedOf('timeout', [])).toBe(false);
  });
});

describe('report.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (regenerate: npx tsx reports/reportJsonSchema.ts)', () => {
    expect(readFileSync(REPORT_SCHEMA_FILE, 'utf8')).toBe(reportJsonSchemaText());
  });

  it('documents every field it declares', () => {
    const undocumented: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as { properties?: Record<string, unknown> }).properties ?? {};
      for (const [key, child] of Object.entries(properties)) {
        const c = child as { description?: string; $ref?: string; type?: string; const?: unknown };
        if (c.description === undefined && c.$ref === undefined && key !== 'type') undocumented.push(`${where}.${key}`);
      }
      for (const [key, child] of Object.entries(node)) visit(child, `${where}.${key}`);
    };
    visit(reportJsonSchema(), '');
    expect(undocumented).toEqual([]);
  });

  it('accepts the reports Faultline writes, as a standard validator reads it', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(REPORT_SCHEMA_FILE, 'utf8')) as object);
    const ok = validate(JSON.parse(reportJson(report)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(validate(mutate((r) => (r.outcome = 'exploded')))).toBe(false);
  });
});

describe('readReport rejects a bad file and says why', () => {
  it('a file that does not exist', async () => {
    await expect(readReport(path.join(dir, 'missing.json'))).rejects.toThrow(/Cannot read report .*missing\.json.*Pass the path of a report\.json/);
  });

  it('a file that is not JSON', async () => {
    expect((await rejection('<html>', 'page.html')).message).toMatch(/page\.html is not a Faultline report: it is not JSON/);
  });

  it('a document that is not a report, or a report of another version', async () => {
    expect((await rejection({ traceEvents: [] })).message).toMatch(/is not a Faultline report: it has no "schema" field, expected "faultline\.report\/v1"/);
    expect((await rejection(mutate((r) => (r.schema = 'faultline.report/v2')))).message).toMatch(
      /is a faultline\.report\/v2 report, and this version of Faultline reads faultline\.report\/v1/,
    );
  });

  it('missing and mistyped fields, each with its path and what was expected', async () => {
    const error = await rejection(
      mutate((r) => {
        delete r.seed;
        (r.verdicts as Array<Record<string, unknown>>)[0]!.ok = 'yes';
        (r.trace as Array<Record<string, unknown>>)[1]!.type = 'span.begin';
      }),
    );
    expect(error.message).toContain('is not a valid faultline.report/v1 report (3 problems)');
    expect(error.message).toContain('seed: expected string, but it is missing');
    expect(error.message).toContain('verdicts[0].ok: expected boolean (got "yes")');
    expect(error.message).toMatch(/trace\[1\]\.type: Invalid (discriminator value|input)/);
  });

  it('an invalid fault plan, and verdicts that point at nothing', async () => {
    const error = await rejection(
      mutate((r) => {
        (r.faults as Array<Record<string, unknown>>)[0]!.kind = 'meteor';
        (r.verdicts as Array<Record<string, unknown>>)[0]!.spans = [999];
        (r.verdicts as Array<Record<string, unknown>>)[1]!.ops = [500];
      }),
    );
    expect(error.message).toContain('verdicts[0].spans: the trace has no span 999');
    expect(error.message).toContain('verdicts[1].ops: history has no op 500');
    expect(error.message).toMatch(/faults\[0\]\.kind: unknown kind \(got "meteor"\); expected one of .*\berror\b/);
  });
});
