// The shared assertion of the built-in scenario tests: the naive agent fails the scenario within a
// bounded number of runs (the median over several base seeds is recorded) and shrinks to a small
// plan, and the hardened agent passes 500 runs.
import { expect, it } from 'vitest';
import { type CheckReport, checkScenario, runCase } from '../../harness/index.ts';
import type { ScenarioDefinition } from '../../harness/scenario/defineScenario.ts';
import { wallClockMs } from '../../harness/sim/runGlobals.ts';

export interface NaiveFindings {
  /** The run at which each base seed first failed. */
  readonly firstFailures: readonly number[];
  readonly median: number;
  /** The largest shrunk fault plan across base seeds. */
  readonly largestPlan: number;
  readonly reports: readonly CheckReport[];
}

/** Checks the naive agent from several base seeds; every one must find a failure within `runs`. */
export async function naiveFails<I, O>(scenario: ScenarioDefinition<I, O>, { seeds = [1, 2, 3, 4, 5], runs = 200, maxPlan = 2 } = {}): Promise<NaiveFindings> {
  const agent = scenario.agents?.naive;
  expect(agent, `${scenario.name} has no naive agent`).toBeDefined();
  const reports: CheckReport[] = [];
  for (const seed of seeds) {
    const report = await checkScenario(scenario, { runs, seed, agent, agentLabel: 'naive' });
    expect(report.ok, `naive agent passed ${runs} runs from seed ${seed}`).toBe(false);
    expect(report.counterexample?.case.plan.length ?? 0, report.message).toBeLessThanOrEqual(maxPlan);
    reports.push(report);
  }
  const firstFailures = reports.map((r) => r.firstFailureAt ?? runs);
  const sorted = [...firstFailures].sort((a, b) => a - b);
  return {
    firstFailures,
    median: sorted[Math.floor(sorted.length / 2)] as number,
    largestPlan: Math.max(...reports.map((r) => r.counterexample?.case.plan.length ?? 0)),
    reports,
  };
}

/** The hardened agent keeps every property over `runs` runs. */
export async function hardenedPasses<I, O>(scenario: ScenarioDefinition<I, O>, runs = 500): Promise<CheckReport> {
  const agent = scenario.agents?.hardened;
  expect(agent, `${scenario.name} has no hardened agent`).toBeDefined();
  const report = await checkScenario(scenario, { runs, agent, agentLabel: 'hardened' });
  expect(report.ok, report.message).toBe(true);
  return report;
}

/** Registers the standard test: the naive agent is caught from five base seeds with a one-rule plan; logs the numbers. */
export function itCatchesTheNaiveAgent<I, O>(
  scenario: ScenarioDefinition<I, O>,
  title = 'catches the naive agent from every base seed, with a one-rule plan',
): void {
  it(title, async ({ annotate }) => {
    const findings = await naiveFails(scenario, { seeds: [1, 2, 3, 4, 5], runs: 200 });
    const plans = findings.reports.map((r) => r.counterexample?.case.plan.map((rule) => `${rule.kind}@${rule.target}`).join(' + '));
    const line = `${scenario.name} naive: first failures at runs ${findings.firstFailures.join(', ')} (median ${findings.median}); shrunk plans: ${plans.join(' | ')}`;
    console.log(line);
    await annotate(line);
    expect(findings.largestPlan).toBe(1);
  });
}

/** Registers the standard test: the hardened agent passes 500 runs; logs how long they took. */
export function itPassesTheHardenedAgent<I, O>(scenario: ScenarioDefinition<I, O>, title = 'passes the hardened agent for 500 runs'): void {
  it(title, async ({ annotate }) => {
    const started = wallClockMs();
    const report = await hardenedPasses(scenario, 500);
    const line = `${scenario.name} hardened: ${report.runs} runs passed in ${Math.round(wallClockMs() - started)} ms`;
    console.log(line);
    await annotate(line);
  });
}

/** Registers the standard test: each sample agent gives the same trace twice from one seed, with no faults and with every rule on. */
export function itReplaysTheSameTrace<I, O>(scenario: ScenarioDefinition<I, O>, title = 'gives the same trace for the same seed, for each agent'): void {
  it(title, async () => {
    for (const agent of [scenario.agents?.naive, scenario.agents?.hardened]) {
      expect(agent, `${scenario.name} lacks a sample agent`).toBeDefined();
      for (const plan of [[], scenario.faults ?? []]) {
        const c = { runSeed: 42, plan, schedule: { kind: 'fifo' } as const };
        const first = await runCase(scenario, agent as ScenarioDefinition<I, O>['agent'], c);
        const second = await runCase(scenario, agent as ScenarioDefinition<I, O>['agent'], c);
        expect(second.result.traceHash).toBe(first.result.traceHash);
        expect(second.result.outcome).toBe(first.result.outcome);
      }
    }
  });
}
