// Goal: checkScenario prints a command that reproduces its failure even when its caller gave none:
// inside vitest the test's own `npx vitest run … -t`, in a script that script's command line, always
// with the seed and path in front. Method: a failing check here (vitest), and a failing check in a
// child `npx tsx` script whose printed command is then run as printed.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkScenario, defineScenario, defineTool, gracefulDegradation } from '../../harness/index.ts';

const env = { ...process.env, NO_COLOR: '1', FAULTLINE_SEED: '', FAULTLINE_PATH: '', FAULTLINE_RUNS: '' };

describe('the default replay command', () => {
  it('inside vitest, names this test file and this test', async () => {
    const lookup = defineTool({ name: 'lookup', description: 'x', input: z.object({ id: z.string() }), handler: ({ id }) => ({ id }) });
    const scenario = defineScenario({
      name: 'replay inside vitest',
      world: { tools: [lookup] },
      faults: [{ target: 'tool:lookup', kind: 'error' }],
      agent: async (world) => JSON.stringify(await world.tools.call('lookup', { id: 'x' })),
      properties: [gracefulDegradation()],
    });
    const report = await checkScenario(scenario, { runs: 20 });
    expect(report.ok).toBe(false);
    expect(report.replay).toMatch(
      /^FAULTLINE_SEED=\d+ FAULTLINE_PATH=[\d:]+ npx vitest run test\/check\/replayCommand\.test\.ts -t '\^the default replay command inside vitest, names this test file and this test\$'$/,
    );
    expect(report.message).toContain(report.replay);
  });

  it('in a script, is the script’s command line, and running it reproduces the failure', () => {
    const run = (command: string) => {
      const child = spawnSync('sh', ['-c', command], { env, encoding: 'utf8', timeout: 120_000 });
      expect(child.status, child.stderr).toBe(0);
      return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as { ok: boolean; replay: string; plan: unknown; message: string[] };
    };
    const first = run('npx tsx test/fixtures/checkScript.ts');
    expect(first.ok).toBe(false);
    expect(first.replay).toMatch(/^FAULTLINE_SEED=\d+ FAULTLINE_PATH=[\d:]+ npx tsx test\/fixtures\/checkScript\.ts$/);
    const again = run(first.replay);
    expect(again.plan).toEqual(first.plan);
    expect(again.message).toEqual(first.message);
    expect(again.replay).toBe(first.replay);
  });
});
