// Faultline in vitest: chaosTest registers a test that checks a scenario over many generated runs
// and, on failure, throws the failure report ending with the command that replays it; matchers
// check single runs. Import it from a test file: `import { chaosTest } from 'faultline/vitest'`.
//
// Environment:
//   FAULTLINE_SEED, FAULTLINE_PATH   replay a reported counterexample (printed by a failure)
//   FAULTLINE_RUNS                   runs per chaos test
//   FAULTLINE_CHECK_DETERMINISM=1    run every case twice and fail on any trace difference
//   FAULTLINE_SHARD=i/n              run the i-th of n slices of every chaos test's runs, so that n
//                                    CI machines share one large suite (vitest --shard splits files;
//                                    this splits the runs inside each file)
import path from 'node:path';
import { expect, test } from 'vitest';
import { type CheckOptions, type CheckReport, checkScenario } from './check/checkScenario.ts';
import { shellQuote } from './check/shellQuote.ts';
import { redactOutput } from './sim/redact.ts';

export { shardFromEnv } from './check/checkScenario.ts';

import type { Property } from './check/properties/property.ts';
import type { Scenario } from './check/scenario.ts';
import type { Outcome, RunResult } from './options.ts';

export interface ChaosTestOptions<I, O> extends CheckOptions<I, O> {
  /** The test's timeout in real milliseconds (default 300 000). */
  readonly timeout?: number;
}

/** vitest's -t takes a pattern; the test's name, escaped, matches exactly that test. */
function namePattern(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/** The name vitest's -t matches: the test's and its describe blocks' names, joined by spaces. */
function testPath(task: { name: string; suite?: unknown }): string {
  const names: string[] = [task.name];
  for (let s = task.suite as { name: string; suite?: unknown; filepath?: string } | undefined; s !== undefined; s = s.suite as typeof s) {
    if (s.filepath === undefined && s.name !== '') names.unshift(s.name);
  }
  return names.join(' ');
}

/**
 * Registers a vitest test that runs `checkScenario(scenario, options)` and fails with the
 * failure report (the failed property, the minimal fault plan, a trace excerpt, the replay command).
 */
export function chaosTest<I, O>(name: string, scenario: Scenario<I, O>, options: ChaosTestOptions<I, O> = {}): void {
  test(
    name,
    async ({ task }) => {
      const file = path.relative(process.cwd(), task.file.filepath);
      const fullName = testPath(task);
      const report = await checkScenario(scenario, {
        ...options,
        replayCommand: (seed, at, { determinism }) =>
          `${determinism ? 'FAULTLINE_CHECK_DETERMINISM=1 ' : ''}FAULTLINE_SEED=${seed} FAULTLINE_PATH=${shellQuote(at)} ` +
          `npx vitest run ${shellQuote(file)} -t ${shellQuote(namePattern(fullName))}`,
      });
      if (!report.ok) throw new ChaosFailure(report);
    },
    options.timeout ?? 300_000,
  );
}

/**
 * The error a failing chaos test throws: its message is the whole failure report, with every
 * credential any run saw masked. The report itself is attached but not enumerable, so vitest does
 * not print it (its runs hold what the agent saw, unmasked).
 */
export class ChaosFailure extends Error {
  declare readonly report: CheckReport;

  constructor(report: CheckReport) {
    super(redactOutput(report.message));
    this.name = 'ChaosFailure';
    Object.defineProperty(this, 'report', { value: report, enumerable: false });
  }
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
