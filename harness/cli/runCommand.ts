// `faultline run [scenarios…]`: with no arguments, every built-in scenario against its sample
// agents (the naive one expected to fail, the hardened one to pass); with arguments, those
// scenarios. Each agent's result is a report (JSON, HTML, trace exports) of its minimal failing run
// or of a passing run, and the set gets an index page and a JUnit file.
import path from 'node:path';
import { checkReportInput } from '../../reports/checkReportInput.ts';
import type { ReportInput } from '../../reports/types.ts';
import { writeReportSet } from '../../reports/writeReports.ts';
import { type CheckReport, checkScenario, runCase, shardFromEnv } from '../check/checkScenario.ts';
import { unmatchedSentence } from '../check/coverage.ts';
import { defaultWorkers, RunPool } from '../check/runPool.ts';
import { shellQuote } from '../check/shellQuote.ts';
import { signatureOf } from '../check/signature.ts';
import { vacuityLines } from '../check/vacuity.ts';
import type { Expectation, ScenarioDefinition } from '../scenario/defineScenario.ts';
import type { ImportScope } from '../scenario/importModule.ts';
import { nearest } from '../sim/didYouMean.ts';
import { FaultlineError } from '../sim/errors.ts';
import { progress } from './progress.ts';
import { type ManifestOutcome, writeManifest } from './runManifest.ts';
import { allBuiltIns, cliReference, resolveScenario, type SkippedScenario, skipLine } from './scenarios.ts';

export interface RunOptions extends ImportScope {
  readonly runs?: number;
  readonly seed?: number;
  readonly path?: string;
  readonly agent?: string;
  readonly out: string;
  readonly determinism?: boolean;
  readonly progress?: boolean;
  /**
   * Worker threads for the runs (default: the available cores, but one per 2,500 runs of the whole
   * invocation). One pool serves every check of the invocation and is ended before this returns;
   * workers load each scenario by its reference and each agent by its name. Results do not depend
   * on the count; a replay (a path) runs in this thread.
   */
  readonly workers?: number;
  /** Run only shard `index` of `count` of every check's runs (default: FAULTLINE_SHARD). */
  readonly shard?: { readonly index: number; readonly count: number };
}

export interface Outcome {
  readonly scenario: string;
  readonly agent: string;
  readonly expected: Expectation;
  readonly report: CheckReport;
  readonly held: boolean;
  /** The shrunk failure's signature (harness/check/signature.ts), when the check found one. */
  readonly signature?: string;
}

/** The agents to run and what each should do: the sample agents, or the scenario's own agent. */
function plan(scenario: ScenarioDefinition<never, unknown>, only: string | undefined): Array<{ name: string; expected: Expectation }> {
  const expectations = scenario.expectations ?? { [scenario.agents === undefined ? 'agent' : (Object.keys(scenario.agents)[0] ?? 'agent')]: 'pass' as const };
  const all = Object.entries(expectations).map(([name, expected]) => ({ name, expected }));
  if (only === undefined) return all;
  const known = [...new Set([...Object.keys(scenario.agents ?? {}), ...Object.keys(expectations)])];
  if (!known.includes(only)) {
    // An unknown agent must not run nothing and pass.
    const near = nearest(only, known);
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `Scenario "${scenario.name}" has no agent "${only}"`,
      todo: `${near === undefined ? '' : `Did you mean "${near}"?`} Its agents are ${known.map((a) => `"${a}"`).join(', ') || 'none by name'}; pass one of them to --agent, or leave --agent out to run them all`.trim(),
    });
  }
  return [{ name: only, expected: expectations[only] ?? 'pass' }];
}

/**
 * Checks each scenario's agents against their expectations and writes the reports.
 * @throws FaultlineError INVALID_SCENARIO for a bad reference, or when no built-in scenario can
 *   run because no LLM client is installed (a run of nothing must not pass).
 */
export async function runScenarios(refs: readonly string[], options: RunOptions): Promise<{ outcomes: Outcome[]; skipped: SkippedScenario[]; index: string }> {
  const { runnable: resolved, skipped } =
    refs.length === 0 ? await allBuiltIns() : { runnable: await Promise.all(refs.map((ref) => resolveScenario(ref, options))), skipped: [] };
  for (const s of skipped) console.log(skipLine(s));
  if (resolved.length === 0) {
    throw new FaultlineError('INVALID_SCENARIO', {
      what: 'No built-in scenario can run here: their sample agents use the official LLM clients, and none is installed',
      todo: 'Install openai (and @anthropic-ai/sdk for the two cross-provider scenarios), or name your own scenario files',
    });
  }
  const shard = options.path === undefined ? (options.shard ?? shardFromEnv()) : undefined;
  const show = progress(process.stderr, options.progress);
  const outcomes: Outcome[] = [];
  const asked: Array<{ ref: string; runs: number }> = [];
  const inputs: ReportInput[] = [];
  const checks = resolved.flatMap(({ ref, scenario }) => plan(scenario, options.agent).map((p) => ({ ref, scenario, ...p })));
  const totalRuns = checks.reduce((sum, c) => sum + (options.runs ?? c.scenario.runs ?? 100), 0);
  const workers = options.workers ?? defaultWorkers(totalRuns);
  const pool = workers > 1 && options.path === undefined ? new RunPool(workers) : undefined;
  try {
    for (const { ref, scenario, name, expected } of checks) {
      const agent = scenario.agents?.[name] ?? scenario.agent;
      const label = `${scenario.name} × ${name}`;
      const report = await checkScenario(scenario, {
        agent,
        agentLabel: name,
        runs: runsAsked(options.runs, scenario.runs),
        runsFixed: true,
        ...(shard === undefined ? {} : { shard }),
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.path === undefined ? {} : { path: options.path }),
        ...(options.determinism === undefined ? {} : { determinism: options.determinism }),
        ...(pool === undefined ? { workers: 1 } : { pool }),
        reference: cliReference(ref, name, options),
        replayCommand: (seed, at, { determinism }) =>
          `npx faultline run ${shellQuote(ref)} --agent ${shellQuote(name)} --seed ${seed} --path ${shellQuote(at)}${determinism ? ' --determinism' : ''}`,
        onRun: (run, failed) => show.update(`${label}: run ${run}${failed ? ' — failed, shrinking…' : ''}`),
      });
      // A check that failed without a counterexample tested nothing (a rule that matched nothing, a
      // property with nothing to judge): that fails it whatever was expected, as a catch it is not.
      const testedNothing = !report.ok && report.counterexample === undefined;
      const held = !testedNothing && (expected === 'fail' ? !report.ok : report.ok);
      const c = report.counterexample;
      const signature = c === undefined ? undefined : signatureOf(scenario.name, name, c.verdicts, c.result);
      outcomes.push({ scenario: scenario.name, agent: name, expected, report, held, ...(signature === undefined ? {} : { signature }) });
      asked.push({ ref, runs: runsAsked(options.runs, scenario.runs) });
      show.done(summaryLine(label, expected, report, held));
      inputs.push(await reportInput(scenario, ref, name, agent, report, expected));
    }
  } finally {
    await pool?.close();
  }
  const set = await writeReportSet(options.out, inputs, shard === undefined ? 'Faultline run' : `Faultline run, shard ${shard.index}/${shard.count}`);
  const seed = options.seed ?? envInteger('FAULTLINE_SEED');
  await writeManifest(options.out, {
    schema: 'faultline.run/v1',
    ...(shard === undefined ? {} : { shard: { index: shard.index, count: shard.count } }),
    ...(seed === undefined ? {} : { seed }),
    ...(options.runs === undefined ? {} : { runs: options.runs }),
    scenarios: [...new Set(outcomes.map((o) => o.scenario))],
    agents: [...new Set(outcomes.map((o) => o.agent))],
    outcomes: outcomes.map((o, i): ManifestOutcome => {
      const written = set.reports[i];
      return {
        scenario: o.scenario,
        ref: asked[i]?.ref ?? '',
        agent: o.agent,
        expected: o.expected,
        runs: asked[i]?.runs ?? 1,
        executed: o.report.runs,
        seed: o.report.seed - (shard === undefined ? 0 : shard.index - 1),
        result: o.report.ok ? 'passed' : o.report.counterexample === undefined ? 'untested' : 'failed',
        held: o.held,
        ...(o.signature === undefined ? {} : { signature: o.signature }),
        ...(o.report.replay === undefined ? {} : { replay: o.report.replay }),
        report: written === undefined ? '' : path.relative(options.out, written.json).split(path.sep).join('/'),
      };
    }),
  });
  return { outcomes, skipped, index: path.relative(process.cwd(), set.index) };
}

/** An integer from the environment, or undefined when unset. */
function envInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `${name} must be an integer, got ${JSON.stringify(raw)}`,
      todo: `Set ${name} to a whole number, or unset it`,
    });
  }
  return n;
}

/**
 * The runs a whole check is asked for: --runs, else FAULTLINE_RUNS, else the scenario's, else 100
 * (checkScenario's order), worked out here so the manifest can say it and shards can be compared.
 */
function runsAsked(flag: number | undefined, scenarioRuns: number | undefined): number {
  return flag ?? envInteger('FAULTLINE_RUNS') ?? scenarioRuns ?? 100;
}

function summaryLine(label: string, expected: Expectation, report: CheckReport, held: boolean): string {
  const mark = held ? 'ok  ' : 'FAIL';
  const coverage = coverageLines(report);
  const c = report.counterexample;
  if (c === undefined) {
    const what = report.ok ? 'every property held' : 'every property held, but the check tested less than it claims';
    return [`${mark} ${label}: ${report.runs} runs, ${what} (expected to ${expected})`, ...coverage, ...vacuityLines(report.vacuity, '       ✗ ')].join('\n');
  }
  return [
    `${mark} ${label}: failed ${c.failed.map((v) => v.property).join(', ')} at run ${report.firstFailureAt} (expected to ${expected})`,
    ...c.failed.map((v) => `       ${v.property}: ${v.message}`),
    report.shrinkCut === undefined ? `       minimal plan ${JSON.stringify(c.case.plan)}` : `       plan (not minimal) ${JSON.stringify(c.case.plan)}`,
    ...(report.shrinkCut === undefined ? [] : [`       ${report.shrinkCut.message}`]),
    `       replay: ${report.replay ?? ''}`,
    ...coverage,
  ].join('\n');
}

/** Fault coverage in the summary: one line of totals, then every rule that tested nothing, with why. */
function coverageLines(report: CheckReport): string[] {
  const { coverage } = report;
  if (coverage.rules.length === 0) return [];
  const changed = coverage.rules.filter((r) => r.changed > 0).length;
  const lines = [`       fault coverage: ${changed} of ${coverage.rules.length} rules changed a call over ${coverage.runs} runs`];
  for (const u of coverage.unmatched) lines.push(`       ✗ ${u.rule}: ${unmatchedSentence(u, coverage)}`);
  for (const r of coverage.rules) {
    if (r.fired > 0 && r.changed === 0)
      lines.push(`       · ${r.rule} fired ${r.fired} times and never changed anything${r.noEffect.length > 0 ? `: ${r.noEffect.join('; ')}` : ''}`);
  }
  return lines;
}

/** The run a report shows: the shrunk counterexample, or for a passing agent its fault-free run. */
async function reportInput(
  scenario: ScenarioDefinition<never, unknown>,
  ref: string,
  name: string,
  agent: ScenarioDefinition<never, unknown>['agent'],
  check: CheckReport,
  expected: Expectation,
): Promise<ReportInput> {
  const passingRun =
    check.counterexample === undefined ? await runCase(scenario, agent, { runSeed: check.seed, plan: [], schedule: { kind: 'fifo' } }) : undefined;
  return checkReportInput({
    scenario: {
      name: scenario.name,
      ...(scenario.failureMode === undefined ? {} : { failureMode: scenario.failureMode }),
      ...(scenario.description === undefined ? {} : { description: scenario.description }),
      file: ref,
    },
    agent: name,
    check,
    ...(passingRun === undefined ? {} : { passingRun }),
    expected,
  });
}
