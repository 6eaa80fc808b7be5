// Goal: a check's result does not depend on how many worker threads run it: the same cases are
// tried, the first failure in run order is reported, it shrinks to the same minimal case, and the
// report and replay command are the same; a passing check counts the same runs. A scenario that
// cannot be loaded by reference (an inline closure) still runs, in the calling thread. A worker that
// cannot load its scenario (one this thread could load) fails the check with an error naming
// scenario, seed and case; test/check/reference.test.ts has the references refused before any run.
// Method: the fixture's naive agent fails only in a few runs (its first failure is run 23 of the
// default seed, past the first chunks of 2 and 4 workers); check it with 1, 2 and 4 workers, and run
// the CLI with --workers 1 and 2, comparing reports. No assertion on speed (bench/workers.ts measures).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { type CheckReport, checkScenario } from '../../harness/check/checkScenario.ts';
import { runCli } from '../../harness/cli/main.ts';
import { noDeadlock } from '../../harness/index.ts';
import { scenario } from '../fixtures/workers/rareFailure.ts';

const file = 'test/fixtures/workers/rareFailure.ts';
const runs = 120;

function check(agent: 'naive' | 'hardened', workers: number): Promise<CheckReport> {
  return checkScenario(scenario, {
    agent: scenario.agents?.[agent],
    agentLabel: agent,
    runs,
    runsFixed: true,
    workers,
    reference: { scenario: file, agent },
  });
}

/** What must not depend on the worker count (everything but the counterexample's full run result, compared by trace hash). */
function essence(r: CheckReport) {
  return {
    ok: r.ok,
    runs: r.runs,
    firstFailureAt: r.firstFailureAt,
    shrinkSteps: r.shrinkSteps,
    seed: r.seed,
    path: r.path,
    case: r.counterexample?.case,
    failed: r.counterexample?.failed,
    traceHash: r.counterexample?.result.traceHash,
    replay: r.replay,
    coverage: r.coverage,
    vacuity: r.vacuity,
    message: r.message,
  };
}

describe('worker threads', () => {
  it('finds the same first failure, shrinks it to the same case and prints the same replay with 1, 2 and 4 workers', async () => {
    const one = await check('naive', 1);
    expect(one.ok).toBe(false);
    expect(one.firstFailureAt).toBeGreaterThan(8); // past the first chunk of every worker count tried
    for (const workers of [2, 4]) expect(essence(await check('naive', workers)), `${workers} workers`).toEqual(essence(one));
  });

  it('ends a passing check with the same run count and coverage', async () => {
    const one = await check('hardened', 1);
    expect(one.ok, one.message).toBe(true);
    expect(one.runs).toBe(runs);
    expect(essence(await check('hardened', 2))).toEqual(essence(one));
  });

  it('runs an inline closure in the calling thread whatever the worker count', async () => {
    const threads: number[] = [];
    const report = await checkScenario(
      {
        name: 'workers: inline closure',
        agent: async () => {
          threads.push(threadId);
          return 'done';
        },
        properties: [noDeadlock()],
      },
      { runs: 30, runsFixed: true, workers: 4 },
    );
    expect(report.ok, report.message).toBe(true);
    expect(report.runs).toBe(30);
    expect(threads).toHaveLength(30);
    expect(new Set(threads)).toEqual(new Set([threadId]));
  });

  it('names the scenario, seed and case when a worker cannot load the scenario', async () => {
    // The module loads in this thread (the reference is checked here first) but not in a worker.
    const reference = { scenario: 'test/fixtures/workers/mainThreadOnly.ts', agent: 'hardened' };
    const failing = checkScenario(scenario, { agent: scenario.agents?.hardened, runs: 20, runsFixed: true, workers: 2, reference });
    await expect(failing).rejects.toThrow(/worker thread running scenario "workers: rare failure", fast-check seed \d+, case 1 \(path 0.*crashed/);
  });

  it('writes the same reports from `faultline run --workers 2` as from --workers 1', async () => {
    const dirs = await Promise.all([1, 2].map(() => mkdtemp(path.join(os.tmpdir(), 'faultline-workers-'))));
    try {
      const reports: string[][] = [];
      for (const [i, workers] of [1, 2].entries()) {
        const out = dirs[i] as string;
        const code = await runCli(['node', 'faultline', 'run', file, '--runs', String(runs), '--workers', String(workers), '--no-progress', '--out', out]);
        expect(code).toBe(0);
        const names = (await readdir(out)).filter((n) => n.endsWith('.json')).sort();
        reports.push(await Promise.all(names.map(async (n) => `${n}\n${await readFile(path.join(out, n), 'utf8')}`)));
      }
      expect(reports[0]?.length).toBeGreaterThan(0);
      expect(reports[1]).toEqual(reports[0]);
    } finally {
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    }
  });
});
