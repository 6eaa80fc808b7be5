// Goal: the faultline command does what its help says, with documented exit codes, reports that
// replay to the same trace hash, and errors for people rather than stack traces. Method: run the
// real bin in child processes on the example scenario file and on broken input.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const out = mkdtempSync(path.join(tmpdir(), 'faultline-cli-'));

function faultline(...args: string[]) {
  const child = spawnSync(process.execPath, ['bin/faultline.js', ...args], {
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
    expect(run.stdout).toMatch(
      /^ok {3}weather tool down × naive: failed gracefulDegradation at run \d+; minimal plan \[\{"target":"tool:forecast","kind":"error"/m,
    );
    expect(run.stdout).toMatch(/replay: npx faultline run scenarios\/examples\/weather-tool-down\.yaml --agent naive --seed \d+ --path \S+/);
    expect(run.stdout).toMatch(/^ok {3}weather tool down × hardened: 100 runs, every property held/m);
    expect(run.stdout).toContain('2 of 2 expectations held.');
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'junit.xml']));
    const naiveReport = files.find((f) => f.startsWith('weather-tool-down.naive') && f.endsWith('.seed-0.json'));
    expect(naiveReport).toBeDefined();
    const replay = faultline('replay', path.join(out, naiveReport as string));
    expect(replay.status, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/^reproduced: weather tool down × naive, seed 0/);
    expect(replay.stdout).toContain('(as reported)');
    const report = JSON.parse(readFileSync(path.join(out, naiveReport as string), 'utf8')) as { traceHash: string };
    expect(replay.stdout).toContain(report.traceHash);
  });

  it('exits 1 when an expectation does not hold, and says which', () => {
    const file = path.join(out, 'inverted.yaml');
    const text = readFileSync('scenarios/examples/weather-tool-down.yaml', 'utf8')
      .replace('naive: fail', 'naive: pass')
      .replaceAll('./weather.ts', path.resolve('scenarios/examples/weather.ts'));
    writeFileSync(file, text);
    const run = faultline('run', file, '--out', out, '--no-progress', '--runs', '50');
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(1);
    expect(run.stdout).toMatch(/^FAIL weather tool down × naive: failed gracefulDegradation/m);
    expect(run.stdout).toContain('1 of 2 expectations held; not: weather tool down × naive (expected to pass).');
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
      readFileSync('scenarios/examples/weather-tool-down.yaml', 'utf8').replaceAll('./weather.ts', path.resolve('scenarios/examples/weather.ts')),
    );
    const run = faultline('run', file, '--agent', 'naive', '--out', out, '--no-progress', '--runs', '30');
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const command = /replay: (npx faultline run .+)$/m.exec(run.stdout)?.[1];
    expect(command, run.stdout).toContain(`'${dir}/it'\\''s weather.yaml'`);
    const again = spawnSync(
      'sh',
      ['-c', `${(command as string).replace('npx faultline', `${process.execPath} bin/faultline.js`)} --out ${out} --no-progress`],
      {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 240_000,
      },
    );
    expect(again.stdout, again.stderr).toMatch(/failed gracefulDegradation at run 1;/);
  });
});
