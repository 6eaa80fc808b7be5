// soakScenario: a time-boxed hunt. Batches of fresh cases are generated from seeds derived from
// the base seed (seed, seed+1, …), each batch a fast-check check of bounded size, so every batch
// replays as `--seed <its seed> --path <path>`. A failure is shrunk and minimised as checkScenario
// does, and kept once per shrunk signature (./signature.ts). The soak stops at its deadline even
// inside a batch: a run that would start after the deadline is not made (and shrinking stops
// there too, keeping the smallest failing case found so far), so a soak never overruns by more
// than one run plus the minimisation of a failure already found.
import fc from 'fast-check';
import { parseFaultPlan } from '../faults/plan.ts';
import { FaultlineError } from '../sim/errors.ts';
import { wallClockMs } from '../sim/runGlobals.ts';
import { runCaseArbitrary } from './arbitraries.ts';
import { type CheckOptions, seedFromName } from './checkScenario.ts';
import { type CheckCoverage, CoverageTally } from './coverage.ts';
import { minimise } from './minimise.ts';
import { defaultReplayCommand } from './replayCommand.ts';
import { runChecked } from './runCase.ts';
import type { Scenario } from './scenario.ts';
import { signatureOf } from './signature.ts';

/** The check options a soak shares with checkScenario (agent, agentLabel, determinism, replayCommand), documented there. */
export interface SoakOptions<I = unknown, O = unknown> extends Pick<CheckOptions<I, O>, 'agent' | 'agentLabel' | 'determinism' | 'replayCommand'> {
  /** How long to soak, in real milliseconds (at least 1). */
  readonly forMs: number;
  /** The first batch's fast-check seed (default: FAULTLINE_SEED, else one derived from the scenario's name); batch b uses seed + b. */
  readonly seed?: number;
  /** Runs per batch, at most (default 50): how far past the deadline a batch can reach is one run. */
  readonly batchRuns?: number;
  /** Called after each batch (progress, a line per batch). */
  readonly onBatch?: (batch: SoakBatch, soFar: SoakReport) => void;
  /** Called after each run (a progress line on a terminal). */
  readonly onRun?: (runs: number) => void;
  /** The real clock (tests); default: the wall clock, which runs do not fake. */
  readonly now?: () => number;
}

export interface SoakBatch {
  readonly index: number;
  readonly seed: number;
  readonly runs: number;
  /** The signature of the failure this batch found, and whether it was new. */
  readonly failure?: { readonly signature: string; readonly isNew: boolean };
}

export interface SoakFailure {
  readonly signature: string;
  readonly failed: readonly string[];
  readonly message: string;
  readonly plan: readonly unknown[];
  readonly schedule: unknown;
  /** The batch seed and fast-check path that reach it, and the command that replays it. */
  readonly seed: number;
  readonly path: string;
  readonly replay: string;
  /** How many batches found it. */
  readonly found: number;
}

export interface SoakReport {
  readonly scenario: string;
  readonly agent: string | undefined;
  readonly runs: number;
  readonly batches: number;
  readonly elapsedMs: number;
  readonly failures: readonly SoakFailure[];
  readonly coverage: CheckCoverage;
}

/**
 * Soaks `scenario` for `forMs` (see the top of this file).
 * @throws FaultlineError INVALID_OPTIONS for a budget or batch size that is not a positive integer.
 */
export async function soakScenario<I, O>(scenario: Scenario<I, O>, options: SoakOptions<I, O>): Promise<SoakReport> {
  const now = options.now ?? wallClockMs;
  for (const [name, value] of [
    ['forMs', options.forMs],
    ['batchRuns', options.batchRuns ?? 50],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new FaultlineError('INVALID_OPTIONS', {
        what: `soakScenario("${scenario.name}") was given ${name} ${String(value)}`,
        where: { scenario: scenario.name },
        todo: `Give ${name} as a whole number of at least 1${name === 'forMs' ? ' (milliseconds; the CLI takes --for 30s, 10m or 1h)' : ''}`,
      });
    }
  }
  parseFaultPlan(scenario.faults ?? [], `scenario "${scenario.name}": faults`);
  const started = now();
  const deadline = started + options.forMs;
  const base = options.seed ?? envSeed() ?? seedFromName(scenario.name);
  const agent = options.agent ?? scenario.agent;
  const determinism = options.determinism ?? (process.env.FAULTLINE_CHECK_DETERMINISM === '1' || scenario.determinism === true);
  const tally = new CoverageTally(scenario.faults ?? []);
  const arbitrary = runCaseArbitrary(scenario.faults ?? [], scenario.schedules ?? ['fifo']);
  const failures = new Map<string, SoakFailure>();
  let runs = 0;
  let batches = 0;
  const report = (): SoakReport => ({
    scenario: scenario.name,
    agent: options.agentLabel,
    runs,
    batches,
    elapsedMs: now() - started,
    failures: [...failures.values()],
    coverage: tally.summary(),
  });
  while (now() < deadline) {
    const seed = base + batches;
    let batchRuns = 0;
    let failedAt: number | undefined;
    const property = fc.asyncProperty(arbitrary, async (c) => {
      // Past the deadline nothing more runs: a generated case passes unrun, a shrink candidate too.
      if (now() >= deadline) return true;
      const { verdicts, result } = await runChecked(scenario, agent, c, determinism);
      const failed = verdicts.some((v) => !v.ok);
      if (failedAt === undefined) {
        batchRuns++;
        runs++;
        tally.add(c.plan, result);
        if (failed) failedAt = batchRuns;
        options.onRun?.(runs);
      }
      return !failed;
    });
    const details = await fc.check(property, { seed, numRuns: options.batchRuns ?? 50, unbiased: true });
    let found: SoakBatch['failure'];
    if (details.failed && details.counterexample !== null && details.counterexamplePath !== null) {
      const c = await minimise(scenario, agent, details.counterexample[0], determinism);
      const signature = signatureOf(scenario.name, options.agentLabel, c.verdicts, c.result);
      const seen = failures.get(signature);
      found = { signature, isNew: seen === undefined };
      if (seen !== undefined) failures.set(signature, { ...seen, found: seen.found + 1 });
      else {
        const path = details.counterexamplePath;
        failures.set(signature, {
          signature,
          failed: c.failed.map((v) => v.property),
          message: c.failed.map((v) => `${v.property}: ${v.message}`).join('\n'),
          plan: c.case.plan,
          schedule: c.case.schedule,
          seed,
          path,
          replay: (options.replayCommand ?? defaultReplayCommand)(seed, path, { determinism }),
          found: 1,
        });
      }
    }
    const batch: SoakBatch = { index: batches, seed, runs: batchRuns, ...(found === undefined ? {} : { failure: found }) };
    batches++;
    options.onBatch?.(batch, report());
  }
  if (runs === 0) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `The soak of "${scenario.name}" made no run in ${options.forMs} ms`,
      where: { scenario: scenario.name },
      todo: 'Give it a longer budget (--for 30s or more): a soak that runs nothing proves nothing',
    });
  }
  return report();
}

function envSeed(): number | undefined {
  const raw = process.env.FAULTLINE_SEED;
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new FaultlineError('INVALID_OPTIONS', { what: `FAULTLINE_SEED must be an integer, got ${JSON.stringify(raw)}` });
  return n;
}
