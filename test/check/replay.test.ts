// Goal: the command a failing chaos test prints reproduces the same failure when run as printed.
// Method: run the failing fixture (test/fixtures/refund.test.ts) in a child vitest, take the replay
// command from its output, run that command in a shell, and compare the two failure reports.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The fixture only runs when asked to, so that the suite itself stays green.
const env = { ...process.env, FAULTLINE_FIXTURES: '1', NO_COLOR: '1', FORCE_COLOR: '0', FAULTLINE_SEED: '', FAULTLINE_PATH: '' };

function run(command: string) {
  const child = spawnSync('sh', ['-c', command], { env, encoding: 'utf8', timeout: 240_000 });
  return { status: child.status, output: `${child.stdout}\n${child.stderr}` };
}

/**
 * The failure report, without vitest's own decoration and timings, and without the fault coverage,
 * which sums the check's runs (a replay makes one run, the original check made several).
 */
function failure(output: string): string {
  const start = output.indexOf('[faultline] Scenario');
  const coverage = output.indexOf('Fault coverage over', start);
  const end = coverage >= 0 ? coverage : output.indexOf('Replay:', start);
  return output.slice(start, end).replace(/ on run \d+ of \d+ \(shrunk in \d+ steps\)/, '');
}

describe('replay', () => {
  it('reproduces a failure from the command it printed', () => {
    const first = run('npx vitest run test/fixtures/refund.test.ts');
    expect(first.status, first.output).toBe(1);
    const command = /Replay:\n\s+(FAULTLINE_SEED=\d+ FAULTLINE_PATH=\S+ npx vitest run \S+ -t '.+')\n/.exec(first.output)?.[1];
    expect(command, first.output).toBeDefined();
    const again = run(command as string);
    expect(again.status, again.output).toBe(1);
    expect(failure(again.output)).toBe(failure(first.output));
    expect(failure(first.output)).toContain('Minimal fault plan (1 rule)');
    expect(again.output).toContain('failed gracefulDegradation on run 1 of 1');
  });
});
