// The report of a check (checkScenario, chaosTest, `faultline run`): the run it shows — the shrunk
// counterexample when the check failed, else a run the caller chose (a passing agent's fault-free
// run) — quoted under the check's seed and path, the one identity a failure has everywhere.
import type { CheckReport } from '../harness/check/checkScenario.ts';
import type { PropertyVerdict } from '../harness/check/properties/property.ts';
import type { RunResult } from '../harness/options.ts';
import type { ReportInput, ScenarioInfo } from './types.ts';

export interface CheckReportSource {
  readonly scenario: ScenarioInfo;
  /** The agent's name in messages and file names. */
  readonly agent?: string;
  readonly check: CheckReport;
  /** The run to show when the check passed (the counterexample is shown when it failed). */
  readonly passingRun?: { readonly result: RunResult; readonly verdicts: readonly PropertyVerdict[] };
  readonly expected?: 'pass' | 'fail';
}

/**
 * What the writers need to report a check.
 * @throws Error when the check passed and no passing run is given: there is nothing to show.
 */
export function checkReportInput(source: CheckReportSource): ReportInput {
  const { check } = source;
  const shown = check.counterexample ?? source.passingRun;
  if (shown === undefined) throw new Error(`[faultline] The check of "${check.scenario}" passed and no run was given to report`);
  return {
    scenario: source.scenario,
    ...(source.agent === undefined ? {} : { agent: source.agent }),
    result: shown.result,
    verdicts: shown.verdicts,
    seed: check.seed,
    ...(check.path === undefined ? {} : { path: check.path }),
    ...(check.replay === undefined ? {} : { replay: check.replay }),
    coverage: check.coverage,
    // A check that failed without a counterexample tested nothing; its report must not look green.
    ...(!check.ok && check.counterexample === undefined ? { untested: check.message } : {}),
    ...(source.expected === undefined ? {} : { expected: source.expected }),
    runs: {
      total: check.runs,
      failed: check.ok ? 0 : 1,
      ...(check.firstFailureAt === undefined ? {} : { firstFailureAt: check.firstFailureAt }),
      shrinkSteps: check.shrinkSteps,
      ...(check.shrinkCut === undefined ? {} : { shrinkCut: check.shrinkCut.message }),
    },
  };
}
