// Goal: the faultline command does what its help says, with documented exit codes, reports that
// replay to the same trace hash, and errors for people rather than stack traces. Method: run the
// real command in child processes on the example scenario file and on broken input.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const out = mkdtempSync(path.join(tmpdir(), 'faultline-cli-'));

// The source, through tsx: the built command (bin/faultline.js over dist/) is tested from the packed
// tarball by test/consumer.
function faultline(...args: string[]) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FAULTLINE_SEED: '', FAULTLINE_PATH: '' },
    timeout: 240_000,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('faultline', () => {
  it('prints help for itself and for each command', () => {
    const help = faultline('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Commands:\n\s+run \[options\] \[scenarios\.\.\.\]/);
    expect(help.stdout).toContain('Exit codes: 0 every expectation held, 1 one did not');
    for (const command of ['run', 'replay', 'list', 'report']) {
      const sub = faultline(command, '--help');
      expect(sub.status, sub.stderr).toBe(0);
      expect(sub.stdout).toContain(`Usage: faultline ${command}`);
    }
  });

  it('lists the twelve built-in scenarios with their sample agents', () => {
    const list = faultline('list');
    expect(list.status, list.stderr).toBe(0);
    const ids = [...list.stdout.matchAll(/^(\d\d-[a-z-]+)\s/gm)].map((m) => m[1]);
    expect(ids).toHaveLength(12);
    expect(ids[0]).toBe('01-write-amplification');
    expect(list.stdout.match(/agents: naive \(expected to fail\), hardened \(expected to pass\)/g)).toHaveLength(12);
  });

  it('runs a scenario file, writes reports, and replays a report to the same trace hash', () => {
    const run = faultline('run', 'scenarios/examples/weather-tool-down.yaml', '--out', out, '--no-progress');
    expect(run.status, run.stderr).toBe(0);
    // The summary line carries the reason, not only the property's name.
    expect(run.stdout).toMatch(
      /^ok {3}weather tool down × naive: failed gracefulDegradation at run \d+ \(expected to fail\)\n {7}gracefulDegradation: The agent did not answer: .+\n {7}minimal plan \[\{"target":"tool:forecast","kind":"error"/m,
    );
    const seed = /replay: npx faultline run scenarios\/examples\/weather-tool-down\.yaml --agent naive --seed (\d+) --path \S+/.exec(run.stdout)?.[1];
    expect(seed).toBeDefined();
    expect(run.stdout).toMatch(/^ok {3}weather tool down × hardened: 100 runs, every property held/m);
    expect(run.stdout).toContain('2 of 2 expectations held.');
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'junit.xml']));
    // One identity: the report is named with the seed the replay command uses.
    const naiveReport = files.find((f) => f.startsWith('weather-tool-down.naive') && /\.seed-\d+\.json$/.test(f));
    expect(naiveReport).toBe(`weather-tool-down.naive.seed-${seed}.json`);
    const replay = faultline('replay', path.join(out, naiveReport as string));
    expect(replay.status, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(new RegExp(`^reproduced: weather tool down × naive, seed ${seed}`));
    expect(replay.stdout).toContain('(as reported)');
    const report = JSON.parse(readFileSync(path.join(out, naiveReport as string), 'utf8')) as { traceHash: string };
    expect(replay.stdout).toContain(report.traceHash);

    // A report is an artifact people pass around: one naming a scenario outside the project is not
    // imported unless the user says so.
    const elsewhere = path.join(out, 'elsewhere.yaml');
    writeFileSync(
      elsewhere,
      readFileSync('scenarios/examples/weather-tool-down.yaml', 'utf8').replaceAll('./weather.js', path.resolve('scenarios/examples/weather.ts')),
    );
    const moved = path.join(out, 'moved.json');
    writeFileSync(
      moved,
      JSON.stringify({ ...JSON.parse(readFileSync(path.join(out, naiveReport as string), 'utf8')), scenario: { name: 'weather tool down', file: elsewhere } }),
    );
    const refused = faultline('replay', moved);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('points outside the project');
    expect(refused.stderr).toContain('--allow-outside-project');
    const allowed = faultline('replay', moved, '--allow-outside-project');
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('(as reported)');
  });

  it('exits 1 when an expectation does not hold, and says which', () => {
    const file = path.join(out, 'inverted.yaml');
    const text = readFileSync('scenarios/examples/weather-tool-down.yaml', 'utf8')
      .replace('naive: fail', 'naive: pass')
      .replaceAll('./weather.js', path.resolve('scenarios/examples/weather.ts'));
    writeFileSync(file, text);
    const run = faultline('run', file, '--out', out, '--no-progress', '--runs', '50');
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(1);
    expect(run.stdout).toMatch(/^FAIL weather tool down × naive: failed gracefulDegradation/m);
    expect(run.stdout).toContain('1 of 2 expectations held; not: weather tool down × naive (expected to pass).');
  });

  it('fails a run whose fault rule targets nothing, with the nearest target, whatever was expected', () => {
    const own = mkdtempSync(path.join(tmpdir(), 'faultline-cli-typo-'));
    const file = path.join(own, 'typo.yaml');
    const text = readFileSync('scenarios/examples/weather-tool-down.yaml', 'utf8')
      .replace('target: tool:forecast\n    kind: latency', 'target: tool:forcast\n    kind: latency')
      .replaceAll('./weather.js', path.resolve('scenarios/examples/weather.ts'));
    writeFileSync(file, text);
    const run = faultline('run', file, '--out', own, '--no-progress', '--runs', '30', '--agent', 'hardened');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL weather tool down × hardened: 30 runs, every property held, but the check tested less than it claims/m);
    expect(run.stdout).toContain('✗ latency@tool:forcast: "tool:forcast" matched no yield point in 30 runs');
    expect(run.stdout).toContain('did you mean `tool:forecast`?');
    const report = readdirSync(own).find((f) => /^weather-tool-down\.hardened\.seed-\d+\.json$/.test(f));
    const json = JSON.parse(readFileSync(path.join(own, report as string), 'utf8')) as {
      coverage: { unmatched: unknown[] };
      passed: boolean;
      untested?: string;
    };
    expect(json.coverage.unmatched).toEqual([{ rule: 'latency@tool:forcast', target: 'tool:forcast', nearest: 'tool:forecast' }]);
    // No output may look green: the report, the index and the JUnit file all say it tested nothing.
    expect(json.passed).toBe(false);
    expect(json.untested).toContain('"tool:forcast" matched no yield point');
    expect(readFileSync(path.join(own, report as string).replace(/\.json$/, '.html'), 'utf8')).toContain('TESTED NOTHING');
    const index = readFileSync(path.join(own, 'index.html'), 'utf8');
    expect(index).toContain('TESTED NOTHING');
    expect(index).toContain('1 expectation broken');
    const junit = readFileSync(path.join(own, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites[^>]*failures="1"/);
    expect(junit).toContain('hardened › tested something');
  });

  it('exits 2 with a message, not a stack trace, on bad input', () => {
    const missing = faultline('run', 'no-such-scenario.yaml');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^\[faultline\] There is no scenario "no-such-scenario\.yaml"/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const badReport = path.join(out, 'bad.json');
    writeFileSync(badReport, '{"schema":"faultline.report/v9"}');
    const replay = faultline('replay', badReport);
    expect(replay.status).toBe(2);
    expect(replay.stderr).not.toMatch(/\n\s+at /);
    let bomb = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 1; i <= 12; i++)
      bomb += `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]\n`;
    const bombFile = path.join(out, 'bomb.yaml');
    writeFileSync(bombFile, `${bomb}name: *m\n`);
    const bombed = faultline('run', bombFile, '--out', out, '--no-progress');
    expect(bombed.status).toBe(2);
    expect(bombed.stderr).toMatch(/^\[faultline\] .*bomb\.yaml is not a valid scenario file[\s\S]*bomb\.yaml:2:\d+: too many aliases/);
    expect(bombed.stderr).not.toMatch(/\n\s+at /);
    const usage = faultline('run', '--runs', 'many');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--runs must be a whole number of at least 1, got "many"');
  });

  it('never passes on nothing: zero runs, a path that reaches no run, an unknown agent, bad usage all exit 2', () => {
    const cases: Array<[string[], RegExp]> = [
      [['run', '07', '--agent', 'naive', '--seed', '1', '--path', 'garbage'], /--path must be the path a failure printed/],
      [['run', '07', '--agent', 'hardened', '--seed', '1', '--path', '9999:9999'], /reaches no run/],
      [['run', '07', '--agent', 'hardened', '--runs', '0'], /--runs must be a whole number of at least 1/],
      [['run', '07', '--agent', 'hardend', '--runs', '1'], /has no agent "hardend"\. Did you mean "hardened"\?/],
      [['run', '--no-such-option'], /unknown option/],
      [['nonsense'], /unknown command/],
    ];
    for (const [args, message] of cases) {
      const r = faultline(...args, '--out', out, '--no-progress');
      expect(r.status, `${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('quotes the replay command it prints, and the command reproduces the failure', () => {
    const dir = path.join(out, 'a dir with spaces');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "it's weather.yaml");
    writeFileSync(
      file,
      readFileSync('scenarios/examples/weather-tool-down.yaml', 'utf8').replaceAll('./weather.js', path.resolve('scenarios/examples/weather.js')),
    );
    const run = faultline('run', file, '--agent', 'naive', '--out', out, '--no-progress', '--runs', '30');
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const command = /replay: (npx faultline run .+)$/m.exec(run.stdout)?.[1];
    expect(command, run.stdout).toContain(`'${dir}/it'\\''s weather.yaml'`);
    const again = spawnSync(
      'sh',
      ['-c', `${(command as string).replace('npx faultline', `${process.execPath} --import tsx harness/cli/main.ts`)} --out ${out} --no-progress`],
      {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 240_000,
      },
    );
    expect(again.stdout, again.stderr).toMatch(/failed gracefulDegradation at run 1\b/);
  });
});
