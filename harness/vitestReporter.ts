// A vitest reporter (`faultline/vitest/reporter`) that writes one index page and one JUnit file over
// the reports the session's failing chaos tests wrote. Add it beside vitest's own reporter:
//
//   // vitest.config.ts
//   export default defineConfig({ test: { reporters: ['default', 'faultline/vitest/reporter'] } });
//
// The failing tests write their reports themselves (chaosTest), so this only gathers what this run
// produced — reports a previous session left in the folder are not listed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { junitXml } from '../reports/exports/junit.ts';
import { indexHtml } from '../reports/indexHtml.ts';
import { parseReport } from '../reports/jsonReport.ts';
import type { Report } from '../reports/reportSchema.ts';
import { reportsDir } from '../reports/reportsDir.ts';
import { writeFileAtomic } from '../reports/writeAtomic.ts';

/** What a failing chaos test leaves in its task's meta for this reporter. */
export interface ChaosTaskMeta {
  readonly faultlineReport?: { readonly json: string; readonly html: string };
}

export interface FaultlineReporterOptions {
  /** Where the index and JUnit file go (default: where chaosTest writes, FAULTLINE_REPORTS_DIR or `faultline-reports`). */
  readonly dir?: string;
}

export default class FaultlineReporter implements Reporter {
  private readonly written: Array<{ json: string; html: string }> = [];
  private readonly dir: string;

  constructor(options: FaultlineReporterOptions = {}) {
    this.dir = options.dir === undefined ? reportsDir() : path.resolve(options.dir);
  }

  onTestCaseResult(testCase: TestCase): void {
    const report = (testCase.meta() as ChaosTaskMeta).faultlineReport;
    if (report !== undefined) this.written.push(report);
  }

  async onTestRunEnd(_modules: ReadonlyArray<TestModule>): Promise<void> {
    if (this.written.length === 0) return;
    const reports: Array<{ html: string; report: Report }> = [];
    for (const w of this.written) reports.push({ html: w.html, report: parseReport(JSON.parse(await readFile(w.json, 'utf8')), w.json) });
    const index = path.join(this.dir, 'index.html');
    await writeFileAtomic(
      index,
      indexHtml(
        reports.map((r) => ({ href: path.relative(this.dir, r.html).split(path.sep).join('/'), report: r.report })),
        'Faultline: failing chaos tests',
      ),
    );
    await writeFileAtomic(path.join(this.dir, 'junit.xml'), junitXml(reports.map((r) => r.report)));
    process.stdout.write(
      `\n[faultline] ${reports.length} failing chaos test report${reports.length === 1 ? '' : 's'}: ${path.relative(process.cwd(), index)}\n`,
    );
  }
}
