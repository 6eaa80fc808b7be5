// Goal: `faultline report --merge` joins the outputs of shards run on separate machines into one
// index and one JUnit file, with each shrunk failure once, the right outcome per scenario × agent,
// and a loud refusal whenever the shards cannot be shown to be every shard of one check. Method:
// run `faultline run --shard i/n` in separate child processes (as CI jobs would), merge, read the
// files; then damage copies of the shard outputs (a missing shard, a different seed, …).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(path.join(tmpdir(), 'faultline-merge-'));

function faultline(...args: string[]) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FAULTLINE_SEED: '', FAULTLINE_PATH: '', FAULTLINE_SHARD: '', FAULTLINE_RUNS: '' },
    timeout: 240_000,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, all: `${child.stdout}\n${child.stderr}` };
}

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const junitCounts = (file: string) => {
  const head = /<testsuites [^>]*tests="(\d+)" failures="(\d+)"/.exec(readFileSync(file, 'utf8'));
  return { tests: Number(head?.[1]), failures: Number(head?.[2]) };
};

// The example scenario with the naive agent expected to pass: both shards catch it breaking its
// expectation, with the same shrunk failure.
const inverted = path.join(root, 'inverted.yaml');
const shard = (n: number) => path.join(root, `inverted-${n}`);

describe('faultline report --merge', () => {
  beforeAll(() => {
    writeFileSync(
      inverted,
      readFileSync('scenarios/examples/weather-tool-down.yaml', 'utf8')
        .replace('naive: fail', 'naive: pass')
        .replaceAll('./weather.js', path.resolve('scenarios/examples/weather.ts')),
    );
    for (const i of [1, 2]) {
      const run = faultline('run', inverted, '--runs', '20', '--shard', `${i}/2`, '--out', shard(i), '--no-progress');
      expect(run.status, run.all).toBe(1);
      expect(run.stdout).toMatch(/^FAIL weather tool down × naive: failed gracefulDegradation/m);
    }
  }, 300_000);

  it('records a manifest per shard, and merges two shards into one index and one JUnit file with the failure once', () => {
    const manifest = json(path.join(shard(2), 'faultline-run.json'));
    expect(manifest).toMatchObject({
      schema: 'faultline.run/v1',
      shard: { index: 2, count: 2 },
      runs: 20,
      scenarios: ['weather tool down'],
      agents: ['naive', 'hardened'],
    });
    expect(manifest.outcomes.map((o: { agent: string; result: string; held: boolean }) => [o.agent, o.result, o.held])).toEqual([
      ['naive', 'failed', false],
      ['hardened', 'passed', true],
    ]);
    // The two shards drew different seeds and found the same bug: one signature.
    const signatures = [1, 2].map((i) => json(path.join(shard(i), 'faultline-run.json')).outcomes[0].signature);
    expect(signatures[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(signatures[1]).toBe(signatures[0]);

    const out = path.join(root, 'merged');
    const merge = faultline('report', '--merge', shard(1), shard(2), '--out', out);
    expect(merge.status, merge.all).toBe(1);
    expect(merge.stdout).toMatch(/^FAIL weather tool down × naive: 1 distinct failure in \d+ runs \(expected to pass\)$/m);
    expect(merge.stdout).toContain(`${signatures[0]} found by shard 1, 2; replay: npx faultline run`);
    expect(merge.stdout).toMatch(/^ok {3}weather tool down × hardened: no failure in 20 runs \(expected to pass\)$/m);
    expect(merge.stdout).toContain('merged 2 shards: 1 of 2 expectations held; not: weather tool down × naive (expected to pass).');

    const index = readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index.match(/<tr class="[^"]*" data-scenario=/g)).toHaveLength(2);
    expect(index).toContain('1 expectation broken');
    expect(index).toContain('merged from 2 shards');
    // Every row links to a report that was copied beside the index, whole.
    const links = [...index.matchAll(/<a href="([^"]+\.html)">/g)].map((m) => m[1] as string);
    expect(links).toHaveLength(2);
    for (const link of links) {
      expect(existsSync(path.join(out, link))).toBe(true);
      expect(json(path.join(out, link.replace(/\.html$/, '.json'))).schema).toBe('faultline.report/v1');
    }
    expect(junitCounts(path.join(out, 'junit.xml'))).toEqual({ tests: 4, failures: 1 }); // an agent × property each
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(json(path.join(out, 'faultline-run.json'))).toMatchObject({ mergedFrom: 2 });
  });

  it('holds an expected failure that one shard caught and the other did not', () => {
    // Seed 4, one run per shard: the first shard's run switches the tool error on, the second's not.
    const dirs = [1, 2].map((i) => path.join(root, `mixed-${i}`));
    const runs = dirs.map((dir, i) =>
      faultline(
        'run',
        'scenarios/examples/weather-tool-down.yaml',
        '--agent',
        'naive',
        '--runs',
        '2',
        '--seed',
        '4',
        '--shard',
        `${i + 1}/2`,
        '--out',
        dir,
        '--no-progress',
      ),
    );
    expect(runs.map((r) => r.status)).toEqual([0, 1]);
    const merge = faultline('report', '--merge', ...dirs, '--out', path.join(root, 'mixed-merged'));
    expect(merge.status, merge.all).toBe(0);
    expect(merge.stdout).toMatch(/^ok {3}weather tool down × naive: 1 distinct failure in 2 runs \(expected to fail\)$/m);
    expect(merge.stdout).toMatch(/found by shard 1; replay: /);
    expect(junitCounts(path.join(root, 'mixed-merged', 'junit.xml'))).toEqual({ tests: 1, failures: 0 });
  }, 120_000);

  it('refuses, exit 2, when a directory has no shard output, a shard is missing or twice, or the shards disagree', () => {
    // Damaged copies of the real shard outputs: each one changes what its manifest claims.
    const copy = (from: string, name: string, edit: (m: Record<string, unknown>) => void) => {
      const dir = path.join(root, name);
      cpSync(from, dir, { recursive: true });
      const manifest = json(path.join(dir, 'faultline-run.json'));
      edit(manifest);
      writeFileSync(path.join(dir, 'faultline-run.json'), JSON.stringify(manifest));
      return dir;
    };
    const third = (i: number) => copy(shard(i === 3 ? 2 : 1), `third-${i}`, (m) => (m.shard = { index: i, count: 3 }));
    const reseeded = copy(shard(2), 'reseeded', (m) => {
      m.seed = 7;
    });
    const rerun = copy(shard(2), 'rerun', (m) => {
      for (const o of m.outcomes as Array<{ runs: number }>) o.runs = 50;
    });
    const empty = path.join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    const cases: Array<[string[], RegExp]> = [
      [[shard(1), empty], /empty holds no shard output: there is no faultline-run\.json in it\. Pass the --out directories of `faultline run --shard i\/n`/],
      [
        [third(1), third(3)],
        /Shard 2\/3 is missing from the merge; it was given .*third-1 \(shard 1\/3\), .*third-3 \(shard 3\/3\)\. A merged result must cover every shard/,
      ],
      [[shard(1), shard(1)], /Shard 1\/2 was given twice/],
      [[shard(1), third(3)], /The shards disagree on how many shards there are: .*inverted-1 \(shard 1\/2\) and .*third-3 \(shard 3\/3\)/],
      [
        [shard(1), reseeded],
        /The shards disagree on the seed: .*inverted-1 ran with seeds from the scenario names, .*reseeded with 7\. Run every shard with the same --seed/,
      ],
      [[shard(1), rerun], /The shards disagree on weather tool down × naive.*\n {2}- 20 runs in .*inverted-1, 50 in .*rerun/],
      [[shard(1), shard(2), '--out', shard(1)], /would write into .*inverted-1, one of the shard directories it reads/],
    ];
    for (const [args, message] of cases) {
      const out = path.join(root, 'refused');
      const r = faultline('report', '--merge', ...args, ...(args.includes('--out') ? [] : ['--out', out]));
      expect(r.status, `${args.join(' ')}\n${r.all}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      // Nothing is written when the merge is refused.
      expect(existsSync(out)).toBe(false);
    }
    const both = faultline('report', path.join(shard(1), 'x.json'), '--merge', shard(1), shard(2));
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--merge takes shard directories and writes to --out');
    const badShard = faultline('run', inverted, '--shard', '3/2');
    expect(badShard.status).toBe(2);
    expect(badShard.stderr).toContain('--shard must be i/n with 1 ≤ i ≤ n, such as 2/4');
  });
});
