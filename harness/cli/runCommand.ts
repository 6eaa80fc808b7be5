// `faultline run [scenarios…]`: with no arguments, every built-in scenario against its sample
// agents (the naive one expected to fail, the hardened one to pass); with arguments, those
// scenarios. Each agent's result is a report (JSON, HTML, trace exports) of its minimal failing run
// or of a passing run, and the set gets an index page and a JUnit file.
import path from 'node:path';
import type { ReportInput } from '../../reports/types.ts';
import { writeReportSet } from '../../reports/writeReports.ts';
import { type CheckReport, checkScenario, runCase } from '../check/checkScenario.ts';
import { shellQuote } from '../check/shellQuote.ts';
import type { Expectation, ScenarioDefinition } from '../scenario/defineScenario.ts';
import { FaultlineError } from '../sim/errors.ts';
import { didYouMean } from '../sim/nearest.ts';
import { progress } from './progress.ts';
import { allBuiltIns, type ResolvedScenario, resolveScenario } from './scenarios.ts';

export interface RunOptions {
  readonly runs?: number;
  readonly seed?: number;
  readonly path?: string;
  readonly agent?: string;
  readonly out: string;
  readonly determinism?: boolean;
  readonly progress?: boolean;
}

export interface Outcome {
  readonly scenario: string;
  readonly agent: string;
  readonly expected: Expectation;
  readonly report: CheckReport;
  readonly held: boolean;
}

/** The agents to run and what each should do: the sample agents, or the scenario's own agent. */
function plan(scenario: ScenarioDefinition<never, unknown>, only: string | undefined): Array<{ name: string; expected: Expectation }> {
  const expectations = scenario.expectations ?? { [scenario.agents === undefined ? 'agent' : (Object.keys(scenario.agents)[0] ?? 'agent')]: 'pass' as const };
  const all = Object.entries(expectations).map(([name, expected]) => ({ name, expected }));
  if (only === undefined) return all;
  const known = [...new Set([...Object.keys(scenario.agents ?? {}), ...Object.keys(expectations)])];
  if (!known.includes(only)) {
    // An unknown agent must not run nothing and pass.
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `Scenario "${scenario.name}" has no agent "${only}"`,
      todo: `${didYouMean(only, known).trim()} Its agents are ${known.map((a) => `"${a}"`).join(', ') || 'none by name'}; pass one of them to --agent, or leave --agent out to run them all`.trim(),
    });
  }
  return [{ name: only, expected: expectations[only] ?? 'pass' }];
}

export async function runScenarios(refs: readonly string[], options: RunOptions): Promise<{ outcomes: Outcome[]; index: string }> {
  const resolved: ResolvedScenario[] = refs.length === 0 ? await allBuiltIns() : await Promise.all(refs.map(resolveScenario));
  const show = progress(process.stderr, options.progress);
  const outcomes: Outcome[] = [];
  const inputs: ReportInput[] = [];
  for (const { ref, scenario } of resolved) {
    for (const { name, expected } of plan(scenario, options.agent)) {
      const agent = scenario.agents?.[name] ?? scenario.agent;
      const label = `${scenario.name} × ${name}`;
      const report = await checkScenario(scenario, {
        agent,
        agentLabel: name,
        runs: options.runs ?? scenario.runs ?? 100,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.path === undefined ? {} : { path: options.path }),
        ...(options.determinism === undefined ? {} : { determinism: options.determinism }),
        replayCommand: (seed, at, { determinism }) =>
          `npx faultline run ${shellQuote(ref)} --agent ${shellQuote(name)} --seed ${seed} --path ${shellQuote(at)}${determinism ? ' --determinism' : ''}`,
        onRun: (run, failed) => show.update(`${label}: run ${run}${failed ? ' — failed, shrinking…' : ''}`),
      });
      const held = expected === 'fail' ? !report.ok : report.ok;
      outcomes.push({ scenario: scenario.name, agent: name, expected, report, held });
      show.done(summaryLine(label, expected, report, held));
      inputs.push(await reportInput(scenario, ref, name, agent, report));
    }
  }
  const set = await writeReportSet(options.out, inputs, 'Faultline run');
  return { outcomes, index: path.relative(process.cwd(), set.index) };
}

function summaryLine(label: string, expected: Expectation, report: CheckReport, held: boolean): string {
  const mark = held ? 'ok  ' : 'FAIL';
  if (report.ok) return `${mark} ${label}: ${report.runs} runs, every property held (expected to ${expected})`;
  const c = report.counterexample;
  return (
    `${mark} ${label}: failed ${c?.failed.map((v) => v.property).join(', ')} at run ${report.firstFailureAt}; ` +
    `minimal plan ${JSON.stringify(c?.case.plan)} (expected to ${expected})\n       replay: ${report.replay ?? ''}`
  );
}

/** The run a report shows: the shrunk counterexample, or for a passing agent its happy-path run. */
async function reportInput(
  scenario: ScenarioDefinition<never, unknown>,
  ref: string,
  name: string,
  agent: ScenarioDefinition<never, unknown>['agent'],
  report: CheckReport,
): Promise<ReportInput> {
  const shown = report.counterexample ?? (await runCase(scenario, agent, { runSeed: report.seed, plan: [], schedule: { kind: 'fifo' } }));
  return {
    scenario: {
      name: scenario.name,
      ...(scenario.failureMode === undefined ? {} : { failureMode: scenario.failureMode }),
      ...(scenario.description === undefined ? {} : { description: scenario.description }),
      file: ref,
    },
    agent: name,
    result: shown.result,
    verdicts: shown.verdicts,
    ...(report.replay === undefined ? {} : { replay: report.replay }),
    runs: {
      total: report.runs,
      failed: report.ok ? 0 : 1,
      ...(report.firstFailureAt === undefined ? {} : { firstFailureAt: report.firstFailureAt }),
      shrinkSteps: report.shrinkSteps,
    },
  };
}
