// The JSON report: a `faultline.report/v1` document built from a run and its verdicts, written
// atomically, and read back with full validation (for `faultline replay report.json` and
// `faultline report report.json --html`). Reports are redacted when built and again when read, so
// a document in hand never holds a credential, whoever wrote the file.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { coverageOfRun } from '../harness/check/coverage.ts';
import { parseFaultPlan } from '../harness/faults/plan.ts';
import { describeError, redact, redactText } from './redact.ts';
import { ReportError } from './reportError.ts';
import { REPORT_SCHEMA, type Report, reportSchema } from './reportSchema.ts';
import type { ReportInput } from './types.ts';
import { writeFileAtomic } from './writeAtomic.ts';

/** True when every property held; with no properties, when the run ended ok. */
export function passedOf(outcome: string, verdicts: ReadonlyArray<{ readonly ok: boolean }>): boolean {
  return verdicts.length > 0 ? verdicts.every((v) => v.ok) : outcome === 'ok';
}

/** Builds the report document of a run: plain JSON, validated, with every credential redacted. */
export function buildReport(input: ReportInput): Report {
  const r = input.result;
  const raw = {
    schema: REPORT_SCHEMA,
    scenario: input.scenario,
    agent: input.agent,
    seed: input.seed === undefined ? r.seed : String(input.seed),
    runSeed: input.seed === undefined || String(input.seed) === r.seed ? undefined : r.seed,
    path: input.path,
    expected: input.expected,
    passed: input.untested === undefined && passedOf(r.outcome, input.verdicts),
    untested: input.untested,
    outcome: r.outcome,
    message: r.message,
    virtualTimeMs: r.virtualTimeMs,
    traceHash: r.traceHash,
    replay: input.replay,
    runs: input.runs,
    coverage: input.coverage ?? coverageOfRun(r),
    verdicts: input.verdicts,
    faults: r.faults,
    schedule: r.schedule,
    spend: r.spend,
    actors: r.actors,
    blocked: r.blocked,
    cycle: r.cycle,
    problems: r.problems,
    heal: r.heal === undefined ? undefined : { ...r.heal, error: r.heal.error === undefined ? undefined : describeError(r.heal.error) },
    value: r.value,
    error: r.error === undefined ? undefined : describeError(r.error),
    history: r.history,
    effects: r.effects,
    toolCalls: r.toolCalls,
    stores: r.stores,
    stats: r.stats,
    trace: r.trace,
  };
  const parsed = reportSchema.safeParse(redact(raw), { reportInput: true });
  if (!parsed.success) {
    throw new ReportError(
      `Cannot build a report for scenario "${redactText(String(input.scenario.name))}"`,
      'The report input does not have the shape reports/types.ts describes',
      parsed.error.issues.map(describeIssue),
    );
  }
  return parsed.data;
}

/**
 * The report with every credential redacted. Every writer starts here, so a report that did not
 * come from buildReport or readReport (built by hand, edited) is cleaned before anything is written.
 */
export function redactReport(report: Report): Report {
  return redact(report) as Report;
}

/** The report as the JSON text written to disk. */
export function reportJson(report: Report): string {
  return `${JSON.stringify(redactReport(report), null, 2)}\n`;
}

export async function writeJsonReport(file: string, report: Report): Promise<void> {
  await writeFileAtomic(file, reportJson(report));
}

/** Reads a report file, checking its format, its fields, its fault plan and its cross-references. */
export async function readReport(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ReportError(
      `Cannot read report ${file}: ${(error as Error).message}`,
      'Pass the path of a report.json that faultline wrote (by default under reports/out/)',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportError(
      `${file} is not a Faultline report: it is not JSON (${(error as Error).message})`,
      'Pass a report.json that faultline wrote; HTML and trace exports cannot be replayed',
    );
  }
  return parseReport(value, file);
}

/** Validates a parsed report document; `source` names it in error messages. */
export function parseReport(value: unknown, source = 'report'): Report {
  checkFormat(value, source);
  const parsed = reportSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(describeIssue);
    throw new ReportError(
      `${source} is not a valid ${REPORT_SCHEMA} report (${count(problems.length, 'problem')})`,
      'Fix the fields listed, or write the report again with faultline',
      problems,
    );
  }
  const report = redactReport(parsed.data);
  const problems = crossReferenceProblems(report);
  try {
    parseFaultPlan(report.faults, 'faults');
  } catch (error) {
    problems.push(
      ...(error as Error).message
        .split('\n')
        .slice(1)
        .map((line) => line.replace(/^\s*-\s*/, '')),
    );
  }
  if (problems.length > 0) {
    throw new ReportError(
      `${source} is not a valid ${REPORT_SCHEMA} report (${count(problems.length, 'problem')})`,
      'Fix the fields listed, or write the report again with faultline',
      problems,
    );
  }
  return report;
}

function checkFormat(value: unknown, source: string): void {
  const schema = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { schema?: unknown }).schema : undefined;
  if (schema === REPORT_SCHEMA) return;
  if (typeof schema === 'string' && schema.startsWith('faultline.report/')) {
    throw new ReportError(
      `${source} is a ${redactText(schema)} report, and this version of Faultline reads ${REPORT_SCHEMA}`,
      'Use the faultline version that wrote it, or write the report again',
    );
  }
  const got = schema === undefined ? 'it has no "schema" field' : `its "schema" field is ${redactText(JSON.stringify(schema) ?? String(schema))}`;
  throw new ReportError(`${source} is not a Faultline report: ${got}, expected "${REPORT_SCHEMA}"`, 'Pass a report.json that faultline wrote');
}

/** Verdicts must point at history ops and spans that exist, or the HTML report cannot show them. */
function crossReferenceProblems(report: Report): string[] {
  const problems: string[] = [];
  const spans = new Set(report.trace.flatMap((e) => (e.type === 'span.start' ? [e.span] : [])));
  report.verdicts.forEach((v, i) => {
    for (const op of v.ops ?? [])
      if (op >= report.history.length) problems.push(`verdicts[${i}].ops: history has no op ${op} (it has ${report.history.length})`);
    for (const span of v.spans ?? []) if (!spans.has(span)) problems.push(`verdicts[${i}].spans: the trace has no span ${span}`);
  });
  return problems;
}

/** `verdicts[0].ok: expected boolean (got "yes")`. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(the document)';
  const input = (issue as { input?: unknown }).input;
  const shown = input === undefined || typeof input === 'object' ? '' : ` (got ${redactText(JSON.stringify(input) ?? String(input)).slice(0, 80)})`;
  if (issue.code === 'invalid_type') return `${path}: expected ${issue.expected}${input === undefined ? ', but it is missing' : shown}`;
  if (issue.code === 'unrecognized_keys') return `${path}: unknown field(s) ${issue.keys.map((k) => `"${redactText(k)}"`).join(', ')}`;
  return `${path}: ${issue.message}${shown}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
