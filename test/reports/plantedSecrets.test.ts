// Goal: no credential a run saw reaches any output: the run's message, trace and problems, the
// failure report, every report format, the terminal output of `faultline run` and `faultline
// replay`, and a failing chaosTest's vitest output. Method: a scenario (test/fixtures/
// plantedSecrets.ts) sends credentials that match no pattern on its requests and has them echoed
// back through bodies, an error response, a tool error, a model reply and its own error; then every
// channel is searched for them. Target: 0 occurrences.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCase } from '../../harness/check/checkScenario.ts';
import { checkScenario, simulate } from '../../harness/index.ts';
import { writeReportSet } from '../../reports/writeReports.ts';
import { SECRETS, scenario } from '../fixtures/plantedSecrets.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const out = mkdtempSync(path.join(os.tmpdir(), 'faultline-secrets-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const agent = scenario.agents?.leaky ?? scenario.agent;

/** Every planted secret found in `text`, by name. */
function leaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, secret]) => text.includes(secret))
    .map(([name]) => name);
}

function filesUnder(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => readFileSync(path.join(d.parentPath, d.name), 'utf8'))
    .join('\n');
}

describe('planted secrets', () => {
  it('the agent really did see and echo every one (the test is not vacuous)', async () => {
    const { result } = await runCase(scenario, agent, { runSeed: 1, plan: [], schedule: { kind: 'fifo' } });
    expect(result.outcome).toBe('threw');
    expect(leaks(String((result.error as Error).message)).sort()).toEqual(['bearer', 'cookie', 'header', 'pathToken', 'signature']);
  });

  it('are in no part of a run result that is meant to be shown: message, trace, problems', async () => {
    const r = await simulate((w) => agent(w, undefined as never), { ...scenario.world, seed: 1 });
    expect(leaks(r.message)).toEqual([]);
    expect(leaks(JSON.stringify(r.trace))).toEqual([]);
    expect(leaks(JSON.stringify(r.problems))).toEqual([]);
  });

  it('are in no failure report, and in no report file of any format', async () => {
    const report = await checkScenario({ ...scenario, agent }, { runs: 2, seed: 1 });
    expect(report.ok).toBe(false);
    expect(leaks(report.message)).toEqual([]);
    const c = report.counterexample;
    if (c === undefined) throw new Error('no counterexample');
    await writeReportSet(path.join(out, 'direct'), [{ scenario: { name: scenario.name, file: 'x' }, agent: 'leaky', result: c.result, verdicts: c.verdicts }]);
    const written = readdirSync(path.join(out, 'direct'));
    expect(written.some((f) => f.endsWith('.junit.xml') || f === 'junit.xml')).toBe(true);
    expect(leaks(filesUnder(path.join(out, 'direct')))).toEqual([]);
  });

  it('are not printed by `faultline run` or `faultline replay`, nor written to their reports', () => {
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'harness/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    const run = cli(['run', 'test/fixtures/plantedSecrets.ts', '--out', path.join(out, 'cli'), '--no-progress']);
    expect(run.stdout + run.stderr).toMatch(/planted secrets × leaky/);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    const json = readdirSync(path.join(out, 'cli')).find((f) => /\.seed-\d+\.json$/.test(f));
    expect(json).toBeDefined();
    const replay = cli(['replay', path.join(out, 'cli', json as string), '--out', path.join(out, 'replayed')]);
    expect(replay.stdout).toMatch(/reproduced/);
    expect(leaks(replay.stdout + replay.stderr)).toEqual([]);
    expect(leaks(filesUnder(out))).toEqual([]);
  });

  it('are not in the terminal output of a failing chaosTest', () => {
    const child = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/fixtures/plantedSecrets.test.ts', '--reporter', 'default'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, FAULTLINE_FIXTURES: '1', NO_COLOR: '1', FAULTLINE_SEED: '', FAULTLINE_PATH: '' },
      },
    );
    const output = child.stdout + child.stderr;
    expect(output).toMatch(/leaky agent/);
    expect(output).toMatch(/failed gracefulDegradation/);
    expect(leaks(output)).toEqual([]);
  });
});
