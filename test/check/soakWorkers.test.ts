// Goal: a soak on worker threads finds the same distinct failures, with the same signatures and
// replay commands, as a soak in one thread, counts the same runs and coverage, and stops where the
// one-thread soak stops, whether its time runs out between batches or inside one; and each replay
// command reproduces its failure. Method: soakScenario with 1 and 2 workers under a test clock
// that moves only per batch (the two-bug fixture, for a fixed number of batches) or per run (the
// rare-failure fixture, whose batches mostly pass, so that the deadline falls inside a batch while
// the workers have runs in flight past it), the reports compared but for elapsed time; then each replay
// command run through the CLI, and the signature it records compared. No assertion on real time.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChunkRequest, type ChunkResult, RunPool } from '../../harness/check/runPool.ts';
import { type SoakBatch, soakScenario } from '../../harness/check/soakScenario.ts';
import { runCli } from '../../harness/cli/main.ts';
import { scenario as twoBugs } from '../cli/fixtures/twoBugs.ts';
import { scenario as rareFailure } from '../fixtures/workers/rareFailure.ts';

const batchRuns = 20;
const fixtures = {
  twoBugs: { file: 'test/cli/fixtures/twoBugs.ts', scenario: twoBugs, agent: 'agent', seed: 4242 },
  rareFailure: { file: 'test/fixtures/workers/rareFailure.ts', scenario: rareFailure, agent: 'naive', seed: 1 },
};
// One pool for the soaks on workers: a worker loads the harness once (seconds), not once per soak.
// It counts the chunks it is sent, to show that the runs did go to the workers.
class CountingPool extends RunPool {
  chunks = 0;
  override run(chunk: ChunkRequest): Promise<ChunkResult> {
    this.chunks++;
    return super.run(chunk);
  }
}
const pool = new CountingPool(2);
afterAll(() => pool.close());

/** A soak of `batches` batches (a clock moved per batch) or of `runs` runs (a clock moved per run), with its batches. */
async function soak(fixture: keyof typeof fixtures, workers: 1 | 2, budget: { batches: number } | { runs: number }) {
  const { file, scenario, agent, seed } = fixtures[fixture];
  let t = 0;
  const batches: SoakBatch[] = [];
  const { elapsedMs, ...report } = await soakScenario(scenario, {
    forMs: 'batches' in budget ? budget.batches : budget.runs,
    seed,
    batchRuns,
    agent: scenario.agents?.[agent] ?? scenario.agent,
    agentLabel: agent,
    ...(workers === 1 ? { workers: 1 } : { pool }),
    reference: { scenario: file, agent },
    now: () => t,
    onRun: () => {
      if ('runs' in budget) t++;
    },
    onBatch: (batch) => {
      batches.push(batch);
      if ('batches' in budget) t++;
    },
    replayCommand: (seed, at) => `npx faultline run ${file} --agent ${agent} --runs ${batchRuns} --seed ${seed} --path ${at}`,
  });
  expect(elapsedMs).toBe('batches' in budget ? budget.batches : budget.runs);
  return { ...report, batches };
}

describe('soakScenario on worker threads', () => {
  it('finds the same failures, signatures and replay commands with 1 and 2 workers over a fixed number of batches', async () => {
    const one = await soak('twoBugs', 1, { batches: 8 });
    expect(one.batches).toHaveLength(8);
    expect(one.failures.map((f) => f.failed)).toEqual([['gracefulDegradation'], ['gracefulDegradation']]);
    expect(one.failures.map((f) => f.message).join('\n')).toMatch(/lookup[\s\S]*save|save[\s\S]*lookup/);
    const chunks = pool.chunks;
    expect(await soak('twoBugs', 2, { batches: 8 })).toEqual(one);
    expect(pool.chunks).toBeGreaterThan(chunks);

    // Each replay command reproduces its failure: the CLI replays the case and records the same signature.
    const out = await mkdtemp(path.join(os.tmpdir(), 'faultline-soak-workers-'));
    try {
      for (const [i, failure] of one.failures.entries()) {
        const args = failure.replay.replace(/^npx faultline /, '').split(' ');
        const dir = path.join(out, String(i));
        expect(await runCli(['node', 'faultline', ...args, '--no-progress', '--out', dir])).toBe(1);
        const manifest = JSON.parse(await readFile(path.join(dir, 'faultline-run.json'), 'utf8')) as { outcomes: Array<{ signature?: string }> };
        expect(manifest.outcomes[0]?.signature).toBe(failure.signature);
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('stops at the same run with 1 and 2 workers when the time runs out inside a batch', async () => {
    const one = await soak('rareFailure', 1, { runs: 50 });
    expect(one.runs).toBe(50);
    // The third batch fails at its second run; the deadline, not a failure, ends the fourth.
    expect(one.batches.map((b) => [b.runs, b.failure?.isNew])).toEqual([
      [20, undefined],
      [20, undefined],
      [2, true],
      [8, undefined],
    ]);
    expect(one.failures).toHaveLength(1);
    const chunks = pool.chunks;
    expect(await soak('rareFailure', 2, { runs: 50 })).toEqual(one);
    expect(pool.chunks).toBeGreaterThan(chunks);
  });
});
