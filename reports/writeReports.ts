// Writes reports to disk: for each run its JSON report, HTML page, Chrome trace and OTLP export,
// and for a set of runs an index page and a JUnit file beside them. Every file is written
// atomically, and every writer redacts what it is given, so no file ever holds a credential.
import path from 'node:path';
import { chromeTraceJson } from './exports/chromeTrace.ts';
import { junitXml } from './exports/junit.ts';
import { otlpJson } from './exports/otlp.ts';
import { reportHtml } from './htmlReport.ts';
import { indexHtml } from './indexHtml.ts';
import { buildReport, reportJson } from './jsonReport.ts';
import type { Report } from './reportSchema.ts';
import type { ReportInput } from './types.ts';
import { writeFileAtomic } from './writeAtomic.ts';

export interface WrittenReport {
  readonly report: Report;
  readonly json: string;
  readonly html: string;
  readonly chromeTrace: string;
  readonly otlp: string;
}

export interface WrittenReportSet {
  readonly reports: readonly WrittenReport[];
  readonly index: string;
  readonly junit: string;
}

/** A file-name-safe slug: lower-case letters, digits and dashes, at most 60 characters. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'x'
  );
}

/** `demo-flaky-provider.naive.seed-7`: scenario, agent and seed, so files sort by scenario. */
export function reportBaseName(report: Report): string {
  return [slug(report.scenario.name), ...(report.agent === undefined ? [] : [slug(report.agent)]), `seed-${slug(report.seed)}`].join('.');
}

/** Writes one run's four files into `dir`, named `base` (default: reportBaseName). */
export async function writeReport(dir: string, input: ReportInput | Report, base?: string): Promise<WrittenReport> {
  const report = 'schema' in input ? input : buildReport(input);
  const name = base ?? reportBaseName(report);
  const files = {
    json: path.join(dir, `${name}.json`),
    html: path.join(dir, `${name}.html`),
    chromeTrace: path.join(dir, `${name}.trace.json`),
    otlp: path.join(dir, `${name}.otlp.json`),
  };
  await writeFileAtomic(files.json, reportJson(report));
  await writeFileAtomic(files.html, reportHtml(report));
  await writeFileAtomic(files.chromeTrace, chromeTraceJson(report));
  await writeFileAtomic(files.otlp, otlpJson(report));
  return { report, ...files };
}

/** Writes every run's files, then `index.html` and `junit.xml` across them. */
export async function writeReportSet(dir: string, inputs: ReadonlyArray<ReportInput | Report>, title?: string): Promise<WrittenReportSet> {
  const taken = new Map<string, number>();
  const written: WrittenReport[] = [];
  for (const input of inputs) {
    const report = 'schema' in input ? input : buildReport(input);
    const wanted = reportBaseName(report);
    const n = (taken.get(wanted) ?? 0) + 1;
    taken.set(wanted, n);
    written.push(await writeReport(dir, report, n === 1 ? wanted : `${wanted}-${n}`));
  }
  const index = path.join(dir, 'index.html');
  const junit = path.join(dir, 'junit.xml');
  await writeFileAtomic(
    index,
    indexHtml(
      written.map((w) => ({ href: path.relative(dir, w.html).split(path.sep).join('/'), report: w.report })),
      title,
    ),
  );
  await writeFileAtomic(junit, junitXml(written.map((w) => w.report)));
  return { reports: written, index, junit };
}
