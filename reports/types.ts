// What a report is made from: one run of a scenario (the minimal failing run, or a passing one),
// the verdicts of its properties, and how to reproduce it. The property runner builds these; the
// writers in this folder turn them into JSON, HTML, trace exports and JUnit XML.
import type { CheckCoverage } from '../harness/check/coverage.ts';
import type { PropertyVerdict } from '../harness/check/properties/property.ts';
import type { RunResult } from '../harness/options.ts';

/** A property's verdict on one run, as the property runner hands it over. */
export type Verdict = PropertyVerdict;

export interface ScenarioInfo {
  readonly name: string;
  /** The failure mode it exercises, as FAILURE-MODES.md names it. */
  readonly failureMode?: string;
  readonly description?: string;
  /** The scenario file, relative to the project root. */
  readonly file?: string;
}

/** How the run in the report was found. */
export interface RunsSummary {
  /** Runs made before the report was written. */
  readonly total: number;
  readonly failed: number;
  /** The 1-based number of the first failing run. */
  readonly firstFailureAt?: number;
  /** Shrinking steps from the first failure to the run in the report. */
  readonly shrinkSteps?: number;
  /** Why the shrink stopped before it was done, when it did: the run reported fails but is not minimal. */
  readonly shrinkCut?: string;
}

export interface ReportInput {
  readonly scenario: ScenarioInfo;
  /** Which agent ran: 'naive', 'hardened', or a module reference such as 'scenarios/04-cap/agents.ts#hardened'. */
  readonly agent?: string;
  readonly result: RunResult;
  readonly verdicts: readonly Verdict[];
  /** The exact shell command that reproduces the run. */
  readonly replay?: string;
  /** The check's seed when the run is a case a check found; the report quotes it (default: the run's seed). */
  readonly seed?: number;
  /** The case's fast-check path within the check. */
  readonly path?: string;
  /** What the agent was expected to do, for sample agents that are meant to fail. */
  readonly expected?: 'pass' | 'fail';
  readonly runs?: RunsSummary;
  /** Fault coverage of the check that found the run (default: the coverage of this run alone). */
  readonly coverage?: CheckCoverage;
  /**
   * Why the check tested nothing, when it did not (a fault rule that matched nothing, a property that
   * never had anything to judge): such a check fails whatever was expected of the agent.
   */
  readonly untested?: string;
}
