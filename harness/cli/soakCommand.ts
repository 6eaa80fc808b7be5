// `faultline soak [scenarios…] --for 10m`: soaks each scenario's agents (those expected to pass, or
// the one --agent names) in turn, sharing the time budget, and lists every distinct failure once
// with the command that replays it. A line per batch in CI and off a terminal; an updating
// progress line on one. Exit 1 when a failure was found (or a fault rule matched nothing), else 0.
// With --workers (default: the cores, for a soak long enough to pay for starting them) one pool of
// worker threads serves every scenario of the invocation, each loaded by its reference.
import { unmatchedSentence } from '../check/coverage.ts';
import { defaultSoakWorkers, RunPool } from '../check/runPool.ts';
import { shellQuote } from '../check/shellQuote.ts';
import { type SoakFailure, type SoakReport, soakScenario } from '../check/soakScenario.ts';
import type { ScenarioDefinition } from '../scenario/defineScenario.ts';
import type { ImportScope } from '../scenario/importModule.ts';
import { nearest } from '../sim/didYouMean.ts';
import { FaultlineError } from '../sim/errors.ts';
import { progress } from './progress.ts';
import { allBuiltIns, cliReference, resolveScenario, skipLine } from './scenarios.ts';

export interface SoakCommandOptions extends ImportScope {
  readonly forMs: number;
  readonly seed?: number;
  readonly agent?: string;
  readonly batchRuns?: number;
  readonly progress?: boolean;
  /**
   * Worker threads for the runs (default: the available cores, but one per 10 s of `forMs`; 1 runs
   * in this thread). One pool serves every scenario of the invocation and is ended before this
   * returns. The failures found and their replay commands do not depend on it.
   */
  readonly workers?: number;
}

/** `30s`, `10m`, `1h`, `500ms` → milliseconds, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (m === null) return undefined;
  const ms = Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number.isSafeInteger(Math.round(ms)) && ms >= 1 ? Math.round(ms) : undefined;
}

/** The agents a soak runs: the named one, else those expected to pass (a naive agent fails at once). */
function agentsOf(scenario: ScenarioDefinition<never, unknown>, only: string | undefined): string[] {
  const names = [...new Set([...Object.keys(scenario.agents ?? {}), ...Object.keys(scenario.expectations ?? {})])];
  if (only !== undefined) {
    if (names.length === 0 && only === 'agent') return [only];
    if (!names.includes(only)) {
      const near = nearest(only, names);
      throw new FaultlineError('INVALID_OPTIONS', {
        what: `Scenario "${scenario.name}" has no agent "${only}"`,
        todo: `${near === undefined ? '' : `Did you mean "${near}"? `}Its agents are ${names.map((a) => `"${a}"`).join(', ') || 'none by name (its own agent is "agent")'}`,
      });
    }
    return [only];
  }
  if (names.length === 0) return ['agent'];
  const passing = names.filter((n) => (scenario.expectations?.[n] ?? 'pass') === 'pass');
  return passing.length > 0 ? passing : names;
}

export async function soakScenarios(refs: readonly string[], options: SoakCommandOptions): Promise<SoakReport[]> {
  const { runnable, skipped } =
    refs.length === 0 ? await allBuiltIns() : { runnable: await Promise.all(refs.map((ref) => resolveScenario(ref, options))), skipped: [] };
  for (const s of skipped) console.log(skipLine(s));
  const pairs = runnable.flatMap(({ ref, scenario }) => agentsOf(scenario, options.agent).map((name) => ({ ref, scenario, name })));
  if (pairs.length === 0) {
    throw new FaultlineError('INVALID_SCENARIO', {
      what: 'There is nothing to soak: no scenario can run here',
      todo: 'Name a scenario file, or install openai for the built-ins',
    });
  }
  const show = progress(process.stderr, options.progress);
  const interactive = options.progress !== false && show.interactive;
  const reports: SoakReport[] = [];
  const each = Math.max(1, Math.floor(options.forMs / pairs.length));
  const workers = options.workers ?? defaultSoakWorkers(options.forMs);
  const pool = workers > 1 ? new RunPool(workers) : undefined;
  try {
    for (const { ref, scenario, name } of pairs) {
      const label = `${scenario.name} × ${name}`;
      const agent = scenario.agents?.[name] ?? scenario.agent;
      const batchRuns = options.batchRuns ?? 50;
      const report = await soakScenario(scenario, {
        forMs: each,
        agent,
        agentLabel: name,
        batchRuns,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(pool === undefined ? { workers: 1 } : { pool }),
        reference: cliReference(ref, name, options),
        replayCommand: (seed, at, { determinism }) =>
          `npx faultline run ${shellQuote(ref)} --agent ${shellQuote(name)} --runs ${batchRuns} --seed ${seed} --path ${shellQuote(at)}${determinism ? ' --determinism' : ''}`,
        onRun: (runs) => show.update(`soak ${label}: ${runs} runs`),
        onBatch: (batch, soFar) => {
          const line = `soak ${label}: batch ${batch.index + 1} (seed ${batch.seed}) ${batch.runs} runs; ${statusText(soFar)}`;
          const fresh = batch.failure?.isNew === true ? soFar.failures.find((f) => f.signature === batch.failure?.signature) : undefined;
          if (fresh !== undefined) {
            const cut = fresh.shrinkCut === undefined ? '' : ` (${fresh.shrinkCut.message})`;
            show.done(`soak ${label}: new failure ${fresh.signature}: ${whatFailed(fresh)}${cut}\n       replay: ${fresh.replay}`);
          }
          if (interactive) show.update(line);
          else show.done(line);
        },
      });
      reports.push(report);
      show.done(summary(label, report));
    }
  } finally {
    await pool?.close();
  }
  return reports;
}

/** A distinct failure in the soak's summary: what failed, its plan (minimal, unless a stall or a cut shrink), and its replay command. */
export function failureLines(f: SoakFailure): string[] {
  const plan = f.stalled === true ? 'plan (not shrunk: the run never ended)' : f.shrinkCut === undefined ? 'minimal plan' : 'plan (not minimal)';
  return [
    `       ${f.signature} (found in ${f.found} batch${f.found === 1 ? '' : 'es'}) ${f.message.split('\n').join('\n         ')}`,
    `         ${plan} ${JSON.stringify(f.plan)}`,
    ...(f.shrinkCut === undefined ? [] : [`         ${f.shrinkCut.message}`]),
    `         replay: ${f.replay}`,
  ];
}

/** The failed properties, or for a stall what happened. */
function whatFailed(f: SoakFailure): string {
  return f.stalled === true ? 'a worker thread made no progress on a case (agent code that never yields?)' : f.failed.join(', ');
}

function statusText(r: SoakReport): string {
  const rate = r.elapsedMs > 0 ? Math.round((r.runs * 1000) / r.elapsedMs) : 0;
  const rules = r.coverage.rules.length;
  const changed = r.coverage.rules.filter((x) => x.changed > 0).length;
  return `${r.runs} runs in ${(r.elapsedMs / 1000).toFixed(1)}s (${rate} runs/s), ${r.failures.length} distinct failure${r.failures.length === 1 ? '' : 's'}, fault coverage ${changed} of ${rules} rules changed a call`;
}

function summary(label: string, r: SoakReport): string {
  const broken = r.failures.length > 0 || r.coverage.unmatched.length > 0;
  const lines = [`${broken ? 'FAIL' : 'ok  '} ${label}: ${r.batches} batches, ${statusText(r)}`];
  for (const f of r.failures) lines.push(...failureLines(f));
  for (const u of r.coverage.unmatched) lines.push(`       ✗ ${u.rule}: ${unmatchedSentence(u, r.coverage)}`);
  return lines.join('\n');
}
