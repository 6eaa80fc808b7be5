// JUnit XML for CI systems (GitHub, GitLab, Jenkins, Buildkite all read it): a testsuite per
// scenario and a testcase per agent × property, so a dashboard says which property broke for
// which agent. A failure carries the verdict's sentence and the command that replays the run.
// A report without properties becomes one testcase judged by the run's outcome, and a sample agent
// that is expected to fail becomes one testcase that passes when the scenario caught it.
// Every piece of text goes through `text` or `attribute`, which escape it for XML 1.0.
import { escapeHtml } from '../html.ts';
import { redactReport } from '../jsonReport.ts';
import type { Report } from '../reportSchema.ts';

/** Text content for XML: markup characters escaped, characters XML 1.0 forbids replaced. */
export function text(value: string): string {
  return escapeHtml(value);
}

/** A quoted attribute value; line breaks and tabs survive as character references. */
export function attribute(value: string | number): string {
  return `"${escapeHtml(String(value)).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')}"`;
}

interface Case {
  readonly name: string;
  readonly classname: string;
  readonly file?: string;
  readonly failure?: { readonly message: string; readonly type: string; readonly body: string };
}

function failureBody(report: Report, message: string): string {
  const lines = [
    message,
    '',
    `scenario: ${report.scenario.name}${report.agent === undefined ? '' : ` × ${report.agent}`}`,
    `seed: ${report.seed}`,
    `outcome: ${report.outcome}: ${report.message}`,
  ];
  if (report.runs !== undefined) lines.push(`runs: ${report.runs.failed}/${report.runs.total} failed`);
  lines.push(report.replay === undefined ? `replay: rerun with seed ${report.seed} and the report's fault plan` : `replay: ${report.replay}`);
  return lines.join('\n');
}

function casesOf(report: Report): Case[] {
  const prefix = report.agent === undefined ? '' : `${report.agent} › `;
  const classname = `faultline.${report.scenario.name}`;
  const file = report.scenario.file;
  const base = file === undefined ? { classname } : { classname, file };
  if (report.untested !== undefined) {
    // A check that tested nothing fails whatever was expected: a green must mean "tested".
    const message = report.untested.split('\n')[0] ?? 'The check tested nothing.';
    return [{ ...base, name: `${prefix}tested something`, failure: { message, type: 'untested', body: failureBody(report, report.untested) } }];
  }
  if (report.expected === 'fail') {
    // A sample agent meant to fail: the test is that the scenario catches it.
    const caught = report.verdicts.filter((v) => !v.ok).map((v) => v.property);
    const message = 'Expected the scenario to catch this agent, and every property held.';
    return [
      {
        ...base,
        name: `${prefix}is caught${caught.length === 0 ? '' : ` (${caught.join(', ')})`}`,
        ...(report.passed ? { failure: { message, type: 'expected-failure', body: failureBody(report, message) } } : {}),
      },
    ];
  }
  if (report.verdicts.length === 0) {
    const ok = report.outcome === 'ok';
    return [
      {
        ...base,
        name: `${prefix}outcome`,
        ...(ok ? {} : { failure: { message: report.message, type: report.outcome, body: failureBody(report, report.message) } }),
      },
    ];
  }
  return report.verdicts.map((v) => ({
    ...base,
    name: `${prefix}${v.property}`,
    ...(v.ok ? {} : { failure: { message: v.message, type: v.property, body: failureBody(report, v.message) } }),
  }));
}

function caseXml(c: Case): string {
  const head = `    <testcase name=${attribute(c.name)} classname=${attribute(c.classname)}${c.file === undefined ? '' : ` file=${attribute(c.file)}`} time="0"`;
  if (c.failure === undefined) return `${head}/>`;
  return `${head}>\n      <failure message=${attribute(c.failure.message)} type=${attribute(c.failure.type)}>${text(c.failure.body)}</failure>\n    </testcase>`;
}

/** One JUnit document for many reports, a testsuite per scenario in the order scenarios appear. */
export function junitXml(input: readonly Report[], name = 'faultline'): string {
  const reports = input.map(redactReport);
  const suites = new Map<string, Case[]>();
  for (const r of reports) suites.set(r.scenario.name, [...(suites.get(r.scenario.name) ?? []), ...casesOf(r)]);
  let tests = 0;
  let failures = 0;
  const parts: string[] = [];
  for (const [scenario, cases] of suites) {
    const failed = cases.filter((c) => c.failure !== undefined).length;
    tests += cases.length;
    failures += failed;
    parts.push(
      `  <testsuite name=${attribute(scenario)} tests="${cases.length}" failures="${failed}" errors="0" skipped="0" time="0">\n${cases.map(caseXml).join('\n')}\n  </testsuite>`,
    );
  }
  // Times are 0: the runs took virtual time, and their wall time is the test runner's to report.
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name=${attribute(name)} tests="${tests}" failures="${failures}" errors="0" time="0">\n${parts.join('\n')}${parts.length === 0 ? '' : '\n'}</testsuites>\n`;
}
