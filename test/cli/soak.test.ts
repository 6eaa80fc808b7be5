// Goal: `faultline soak` keeps generating cases until its budget is spent, lists each distinct bug
// once with a replay command that reproduces exactly that bug, and exits 1 on a failure, 0 on none,
// 2 on bad usage. Method: a 3-second soak, in a child process, of a tiny scenario with two bugs;
// then each printed replay command is run and its recorded failure signature compared.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = mkdtempSync(path.join(tmpdir(), 'faultline-soak-'));
const env = { ...process.env, NO_COLOR: '1', CI: '1', FAULTLINE_SEED: '', FAULTLINE_PATH: '', FAULTLINE_SHARD: '', FAULTLINE_RUNS: '' };

function faultline(...args: string[]) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args], { encoding: 'utf8', env, timeout: 120_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, all: `${child.stdout}\n${child.stderr}` };
}

describe('faultline soak', () => {
  it('finds both bugs of a scenario, lists each once, and each replay command reproduces its bug', () => {
    const soak = faultline('soak', 'test/cli/fixtures/twoBugs.ts', '--for', '3s');
    expect(soak.status, soak.all).toBe(1);
    // Off a terminal: a line per batch, with the rate and the fault coverage.
    expect(soak.stdout).toMatch(
      /^soak two bugs × agent: batch 1 \(seed \d+\) \d+ runs; \d+ runs in [\d.]+s \(\d+ runs\/s\), \d+ distinct failures?, fault coverage \d of 2 rules changed a call$/m,
    );
    const listed = [
      ...soak.stdout.matchAll(
        // A failure whose shrink the deadline cut short says so, on a line of its own.
        /^ {7}([0-9a-f]{16}) \(found in \d+ batch(?:es)?\) gracefulDegradation: .*Tool "(\w+)" failed.*\n.*(?:minimal plan|plan \(not minimal\)) (.*)\n(?: {9}shrink stopped at the soak's deadline .*\n)? {9}replay: (.*)$/gm,
      ),
    ].map((m) => ({
      signature: m[1] as string,
      tool: m[2] as string,
      plan: m[3] as string,
      replay: m[4] as string,
    }));
    expect(listed.map((l) => l.tool).sort()).toEqual(['lookup', 'save']);
    expect(new Set(listed.map((l) => l.signature)).size).toBe(2);
    expect(soak.stdout).toMatch(/^FAIL two bugs × agent: \d+ batches, \d+ runs in .*, 2 distinct failures, fault coverage 2 of 2 rules changed a call$/m);
    expect(soak.stdout).toMatch(/^soak: \d+ runs, 2 distinct failures\.$/m);

    for (const [i, l] of listed.entries()) {
      expect(l.replay).toMatch(/^npx faultline run test\/cli\/fixtures\/twoBugs\.ts --agent agent --runs 50 --seed \d+ --path [\d:]+$/);
      const out = path.join(root, `replay-${i}`);
      const args = l.replay.replace(/^npx faultline /, '').split(' ');
      const again = faultline(...args, '--out', out, '--no-progress');
      expect(again.status, again.all).toBe(1);
      expect(again.stdout).toContain(`failed gracefulDegradation at run 1`);
      expect(again.stdout).toContain(`minimal plan ${l.plan}`);
      const manifest = JSON.parse(readFileSync(path.join(out, 'faultline-run.json'), 'utf8')) as { outcomes: Array<{ signature?: string }> };
      expect(manifest.outcomes[0]?.signature).toBe(l.signature);
    }
  }, 120_000);

  it('exits 0 when nothing fails, and 2 on a bad duration, worker count or agent', () => {
    const clean = faultline('soak', 'scenarios/examples/weather-tool-down.yaml', '--for', '2s');
    expect(clean.status, clean.all).toBe(0);
    expect(clean.stdout).toMatch(/^ok {3}weather tool down × hardened: \d+ batches, \d+ runs in .*, 0 distinct failures/m);
    expect(clean.stdout).not.toContain('× naive');
    const badFor = faultline('soak', 'test/cli/fixtures/twoBugs.ts', '--for', 'ten minutes');
    expect(badFor.status).toBe(2);
    expect(badFor.stderr).toContain('--for must be a duration such as 30s, 10m or 1h, got "ten minutes"');
    const noFor = faultline('soak', 'test/cli/fixtures/twoBugs.ts');
    expect(noFor.status).toBe(2);
    expect(noFor.stderr).toContain("required option '--for <duration>' not specified");
    const badWorkers = faultline('soak', 'test/cli/fixtures/twoBugs.ts', '--for', '1s', '--workers', '0');
    expect(badWorkers.status).toBe(2);
    expect(badWorkers.stderr).toMatch(/--workers must be .*at least 1/);
    const badAgent = faultline('soak', 'scenarios/examples/weather-tool-down.yaml', '--for', '1s', '--agent', 'hardend');
    expect(badAgent.status).toBe(2);
    expect(badAgent.stderr).toMatch(/has no agent "hardend"\. Did you mean "hardened"\?/);
    expect(badAgent.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
