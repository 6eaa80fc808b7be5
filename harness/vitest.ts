// Faultline in vitest: chaosTest registers a test that checks a scenario over many generated runs
// and, on failure, throws the failure report ending with the command that replays it; matchers
// check single runs. Import it from a test file: `import { chaosTest } from 'faultline/vitest'`.
//
// Environment:
//   FAULTLINE_SEED, FAULTLINE_PATH   replay a reported counterexample (printed by a failure)
//   FAULTLINE_RUNS                   runs per chaos test, overriding the test's own `runs`
//   FAULTLINE_CHECK_DETERMINISM=1    run every case twice and fail on any trace difference
//   FAULTLINE_SHARD=i/n              run the i-th of n slices of every chaos test's runs, so that n
//                                    CI machines share one large suite (vitest --shard splits files;
//                                    this splits the runs inside each file)
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { checkReportInput } from '../reports/checkReportInput.ts';
import { reportsDir } from '../reports/reportsDir.ts';
import { appendStepSummary } from '../reports/stepSummary.ts';
import { writeReport } from '../reports/writeReports.ts';
import { type CheckOptions, type CheckReport, checkScenario } from './check/checkScenario.ts';
import { replayEnv, vitestCommand, vitestTestName } from './check/replayCommand.ts';
import { redactOutput } from './sim/redact.ts';

export { shardFromEnv } from './check/checkScenario.ts';

import type { Property } from './check/properties/property.ts';
import type { Scenario } from './check/scenario.ts';
import type { Outcome, RunResult } from './options.ts';
import type { ChaosTaskMeta } from './vitestReporter.ts';

export interface ChaosTestOptions<I, O> extends CheckOptions<I, O> {
  /** The test's timeout in real milliseconds (default 300 000). */
  readonly timeout?: number;
  /**
   * Where a failing test writes its reports (JSON, HTML, Chrome trace, OTLP): default
   * FAULTLINE_REPORTS_DIR, else `faultline-reports` in the working directory; `false` writes none.
   */
  readonly reports?: string | false;
}

/**
 * Registers a vitest test that runs `checkScenario(scenario, options)` and fails with the
 * failure report (the failed property, the minimal fault plan, a trace excerpt, the replay command).
 *
 * Worker threads: when `options.reference` says where a worker can load the scenario and agent (a
 * scenario file, a module exporting `scenario`, or a built-in id, and the agent's name), the runs
 * are spread over `options.workers` threads (default: the available cores, but one per 2,500
 * runs), with the same result and replay command as in one thread. A scenario or agent defined
 * inline in the test file is a closure no worker can be sent: without a `reference` the runs stay in
 * the test's own thread, whatever `workers` says. A replay (FAULTLINE_PATH) always runs there.
 */
export function chaosTest<I, O>(name: string, scenario: Scenario<I, O>, options: ChaosTestOptions<I, O> = {}): void {
  test(
    name,
    async ({ task }) => {
      const command = vitestCommand(task.file.filepath, vitestTestName(task));
      const report = await checkScenario(scenario, {
        ...options,
        replayCommand: (seed, at, settings) => replayEnv(seed, at, settings) + command,
      });
      if (report.ok) return;
      const dir = options.reports ?? reportsDir();
      const written = dir === false ? undefined : await writeFailureReport(dir, scenario, report);
      if (written !== undefined) Object.assign(task.meta, { faultlineReport: { json: written.json, html: written.html } } satisfies ChaosTaskMeta);
      appendStepSummary(report, written === undefined ? undefined : path.relative(process.cwd(), written.html));
      throw new ChaosFailure(report, written?.html);
    },
    options.timeout ?? 300_000,
  );
}

/**
 * The error a failing chaos test throws: its message is the whole failure report, with every
 * credential any run saw masked, and where its HTML report is. The report itself is attached but
 * not enumerable, so vitest does not print it (its runs hold what the agent saw, unmasked).
 */
export class ChaosFailure extends Error {
  declare readonly report: CheckReport;
  /** The HTML report's path, when one was written. */
  declare readonly html?: string;

  constructor(report: CheckReport, html?: string) {
    const message = redactOutput(report.message);
    super(html === undefined ? message : `${message}\n  Report:\n    ${path.relative(process.cwd(), html)}  (${pathToFileURL(html).href})`);
    Object.defineProperty(this, 'html', { value: html, enumerable: false });
    this.name = 'ChaosFailure';
    Object.defineProperty(this, 'report', { value: report, enumerable: false });
  }
}

/** Writes the counterexample's report files for a failing check (no scenario file: it replays with its vitest command). */
async function writeFailureReport<I, O>(dir: string, scenario: Scenario<I, O>, report: CheckReport) {
  return writeReport(
    dir,
    checkReportInput({
      scenario: {
        name: scenario.name,
        ...(scenario.failureMode === undefined ? {} : { failureMode: scenario.failureMode }),
        ...(scenario.description === undefined ? {} : { description: scenario.description }),
      },
      ...(report.agent === undefined ? {} : { agent: report.agent }),
      check: report,
    }),
  );
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: vitest declares Matchers<T = any>; a merged declaration must match it.
  interface Matchers<T = any> {
    /** The run ended with this outcome; the failure shows how it did end. */
    toHaveOutcome(outcome: Outcome): T;
    /** The run keeps `property`; the failure shows the property's sentence. */
    toKeep(property: Property): T;
    /** A checkScenario report found no failure; the failure shows the report. */
    toHold(): T;
  }
}

expect.extend({
  toHaveOutcome(received: RunResult, outcome: Outcome) {
    return {
      pass: received.outcome === outcome,
      message: () =>
        redactOutput(`expected the run to end ${this.isNot ? 'other than ' : ''}${outcome}, and it ended ${received.outcome}: ${received.message}`),
    };
  },
  toKeep(received: RunResult, property: Property) {
    const verdict = property.check(received, {});
    return {
      pass: verdict.ok,
      message: () => redactOutput(`expected the run ${this.isNot ? 'not ' : ''}to keep ${property.name}: ${verdict.message}`),
    };
  },
  toHold(received: CheckReport) {
    return { pass: received.ok, message: () => (this.isNot ? `expected ${received.scenario} to fail, and it held.` : redactOutput(received.message)) };
  },
});
