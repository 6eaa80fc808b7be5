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
import { expect, test } from 'vitest';
import { type CheckOptions, type CheckReport, checkScenario } from './check/checkScenario.ts';
import { replayEnv, vitestCommand, vitestTestName } from './check/replayCommand.ts';

export { shardFromEnv } from './check/checkScenario.ts';

import type { Property } from './check/properties/property.ts';
import type { Scenario } from './check/scenario.ts';
import type { Outcome, RunResult } from './options.ts';

export interface ChaosTestOptions<I, O> extends CheckOptions<I, O> {
  /** The test's timeout in real milliseconds (default 300 000). */
  readonly timeout?: number;
}

/**
 * Registers a vitest test that runs `checkScenario(scenario, options)` and fails with the
 * failure report (the failed property, the minimal fault plan, a trace excerpt, the replay command).
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
      if (!report.ok) throw new ChaosFailure(report);
    },
    options.timeout ?? 300_000,
  );
}

/** The error a failing chaos test throws: its message is the whole failure report. */
export class ChaosFailure extends Error {
  constructor(readonly report: CheckReport) {
    super(report.message);
    this.name = 'ChaosFailure';
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
      message: () => `expected the run to end ${this.isNot ? 'other than ' : ''}${outcome}, and it ended ${received.outcome}: ${received.message}`,
    };
  },
  toKeep(received: RunResult, property: Property) {
    const verdict = property.check(received, {});
    return {
      pass: verdict.ok,
      message: () => `expected the run ${this.isNot ? 'not ' : ''}to keep ${property.name}: ${verdict.message}`,
    };
  },
  toHold(received: CheckReport) {
    return { pass: received.ok, message: () => (this.isNot ? `expected ${received.scenario} to fail, and it held.` : received.message) };
  },
});
