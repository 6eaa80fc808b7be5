// Goal: the package works as a user gets it. Method: `npm pack` this repository, install the tarball
// into two apps outside the workspace (so nothing resolves through this repository's node_modules),
// and use it there as a user would: app A is test/consumer/app (openai, vitest and TypeScript, no
// Anthropic client), app B has nothing but Faultline (then only @anthropic-ai/sdk). In them: the
// CLI's verbs, a replay of a report the CLI wrote, a plain `node` script, vitest with a chaos test
// and the README's quickstart, and `tsc` with NodeNext and with bundler resolution. Each step logs a
// line; the package's size and install size are printed. Installs come from the npm cache that
// `npm ci` filled (--prefer-offline), so the test needs the registry only for what CI installs anyway.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'faultline-consumer-'));
const appA = path.join(work, 'app-a');
const appB = path.join(work, 'app-b');
let tarball = '';
const SECRET = 'sk-consumer-secret-0001';

/** The environment a user's shell would have: nothing of this test runner's, no Faultline settings. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|FAULTLINE_|TSX|NODE_OPTIONS$|npm_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', CI: 'true' };
}

interface Ran {
  readonly status: number | null;
  /** stdout and stderr together, as a terminal shows them. */
  readonly out: string;
  readonly stdout: string;
}

/** Runs a command in `cwd`, logs one line with its result and time, and returns its output. */
function run(cwd: string, command: string, args: readonly string[], timeoutMs = 300_000, env: NodeJS.ProcessEnv = {}): Ran {
  const started = performance.now();
  const child: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd,
    env: { ...userEnv(), ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Math.round(performance.now() - started);
  const out = `${child.stdout ?? ''}${child.stderr ?? ''}${child.error === undefined ? '' : `\n${child.error.message}`}`;
  console.log(`[consumer] ${path.basename(cwd)}$ ${command} ${args.join(' ')} → exit ${child.status} (${ms} ms, node ${process.version})`);
  return { status: child.status, out, stdout: child.stdout ?? '' };
}

function expectExit(ran: Ran, status: number): void {
  expect(ran.status, ran.out).toBe(status);
}

/** Bytes on disk under `dir`, following nothing. */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The README's quickstart: the TypeScript block between the quickstart markers. */
function quickstart(): string {
  const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
  const block = /<!-- quickstart:start -->\s*```ts\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(readme);
  if (block?.[1] === undefined) throw new Error('README.md has no quickstart block between <!-- quickstart:start --> and <!-- quickstart:end -->');
  return block[1];
}

describe('the packed package, installed in apps outside the workspace', () => {
  beforeAll(() => {
    const packed = run(repo, 'npm', ['pack', '--json', '--pack-destination', work], 600_000);
    expectExit(packed, 0);
    const info = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[\s*\{/m))) as Array<{
      filename: string;
      size: number;
      unpackedSize: number;
      entryCount: number;
    }>;
    const pack = info[0];
    if (pack === undefined) throw new Error(`npm pack printed no package: ${packed.out}`);
    tarball = path.join(work, pack.filename);
    console.log(`[consumer] package: ${pack.filename}, ${mb(pack.size)} packed, ${mb(pack.unpackedSize)} unpacked, ${pack.entryCount} files`);

    cpSync(path.join(repo, 'test/consumer/app'), appA, { recursive: true, filter: (f) => !f.includes('node_modules') });
    expectExit(run(appA, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], 600_000), 0);

    mkdirApp(appB);
    expectExit(run(appB, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], 600_000), 0);
    console.log(`[consumer] install size of faultline with its dependencies: ${mb(sizeOf(path.join(appB, 'node_modules')))}`);
  }, 1_200_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  describe('app A: openai, vitest and TypeScript, no Anthropic client', () => {
    it('npx faultline --help', () => {
      const help = run(appA, 'npx', ['faultline', '--help']);
      expectExit(help, 0);
      expect(help.out).toContain('Usage: faultline');
    });

    it('npx faultline list: the OpenAI scenarios, and a line for each that needs @anthropic-ai/sdk', () => {
      const list = run(appA, 'npx', ['faultline', 'list']);
      expectExit(list, 0);
      expect([...list.out.matchAll(/^\d\d-[a-z-]+ /gm)]).toHaveLength(10);
      expect(list.out.match(/^skip \d\d-[a-z-]+: .*@anthropic-ai\/sdk/gm)).toHaveLength(2);
    });

    it('npx faultline run on a built-in scenario', () => {
      const ran = run(appA, 'npx', ['faultline', 'run', '04', '--runs', '20', '--out', 'out/builtin']);
      expectExit(ran, 0);
      expect(ran.out).toContain('2 of 2 expectations held.');
    });

    it('npx faultline run on a YAML scenario whose agents are TypeScript, then replay a report it wrote', () => {
      const ran = run(appA, 'npx', ['faultline', 'run', 'refund.yaml', '--out', 'out/yaml']);
      expectExit(ran, 0);
      expect(ran.out).toContain('2 of 2 expectations held.');
      const report = readdirSync(path.join(appA, 'out/yaml')).find((f) => /^refund-status\.naive\.seed-\d+\.json$/.test(f));
      expect(report).toBeDefined();
      const replay = run(appA, 'npx', ['faultline', 'replay', `out/yaml/${report}`]);
      expectExit(replay, 0);
      expect(replay.out).toMatch(/^reproduced: refund status × naive/m);
    });

    it('npx faultline run --workers 2 writes the same reports as one thread, from the built worker module', () => {
      const one = run(appA, 'npx', ['faultline', 'run', 'refund.yaml', '--runs', '60', '--workers', '1', '--out', 'out/w1']);
      expectExit(one, 0);
      const two = run(appA, 'npx', ['faultline', 'run', 'refund.yaml', '--runs', '60', '--workers', '2', '--out', 'out/w2']);
      expectExit(two, 0);
      const reports = (dir: string) =>
        readdirSync(path.join(appA, dir))
          .filter((f) => /\.seed-\d+\.json$/.test(f))
          .sort()
          .map((f) => readFileSync(path.join(appA, dir, f), 'utf8'));
      expect(reports('out/w1').length).toBeGreaterThan(0);
      expect(reports('out/w2')).toEqual(reports('out/w1'));
    });

    it('two shards run apart merge into one index and JUnit file; a soak finds the naive agent and replays it', () => {
      for (const i of [1, 2])
        expectExit(run(appA, 'npx', ['faultline', 'run', 'refund.yaml', '--runs', '40', '--shard', `${i}/2`, '--out', `out/shard${i}`]), 0);
      const merged = run(appA, 'npx', ['faultline', 'report', '--merge', 'out/shard1', 'out/shard2', '--out', 'out/merged']);
      expectExit(merged, 0);
      const junit = readFileSync(path.join(appA, 'out/merged/junit.xml'), 'utf8');
      expect(junit).toMatch(/<testsuites[^>]*failures="0"/);
      expect(junit).toContain('naive › is caught (gracefulDegradation)');
      const soak = run(appA, 'npx', ['faultline', 'soak', 'refund.yaml', '--agent', 'naive', '--for', '3s']);
      expectExit(soak, 1);
      const replay = /replay: (npx faultline run \S+ --agent naive .*--seed \d+ --path \S+)/.exec(soak.out)?.[1];
      expect(replay, soak.out).toBeDefined();
      // The naive agent is expected to fail, so the replayed failure is an expectation held.
      const again = run(appA, 'sh', ['-c', `${replay} --out out/soak-replay`]);
      expectExit(again, 0);
      expect(again.out).toMatch(/refund status × naive: failed /);
    });

    it('a plain node script imports the package and runs simulate()', () => {
      const ran = run(appA, 'node', ['app.mjs']);
      expectExit(ran, 0);
      expect(JSON.parse(ran.out.trim().split('\n').at(-1) ?? '')).toMatchObject({ outcome: 'ok', value: 'hello from the simulated model', llmCalls: 1 });
    });

    it("vitest: a chaos test, the matchers and the README's quickstart", () => {
      writeFileSync(path.join(appA, 'quickstart.test.ts'), quickstart());
      const ran = run(appA, 'npx', ['vitest', 'run']);
      expectExit(ran, 0);
      expect(ran.out).toMatch(/✓ quickstart\.test\.ts/);
      expect(ran.out).toMatch(/✓ chaos\.test\.ts/);
      expect(ran.out).toMatch(/✓ matchers\.test\.ts/);
      expect(ran.out).not.toMatch(/\bfailed\b/);
    });

    it('a failing chaos test writes the report its message names, and each printed replay command reproduces its failure', () => {
      const env = { FAULTLINE_CONSUMER_FIXTURES: '1', FAULTLINE_REPORTS_DIR: 'out/vitest' };
      const failed = run(appA, 'npx', ['vitest', 'run', 'fixtures.test.ts'], 300_000, env);
      expectExit(failed, 1);
      const html = /Report:\n\s+(\S+\.html)/.exec(failed.out)?.[1];
      expect(html, failed.out).toBeDefined();
      expect(existsSync(path.join(appA, html as string))).toBe(true);
      expect(existsSync(path.join(appA, 'out/vitest/index.html'))).toBe(true);
      const commands = [...failed.out.matchAll(/Replay:\n\s+(.+)\n/g)].map((m) => m[1] as string);
      expect(commands).toHaveLength(2);
      expect(commands.filter((c) => c.startsWith('FAULTLINE_CHECK_DETERMINISM=1 '))).toHaveLength(1);
      for (const command of commands) {
        const again = run(appA, 'sh', ['-c', command], 300_000, env);
        expectExit(again, 1);
        const property = /failed (\w+) on run/.exec(again.out)?.[1];
        expect(property, again.out).toBeDefined();
        expect(failed.out).toContain(`failed ${property} on run`);
        expect(again.out).toContain('Tests  1 failed');
      }
    });

    it('tsc --noEmit with NodeNext and with bundler resolution, and with the declarations checked too', () => {
      expectExit(run(appA, 'npx', ['tsc', '-p', 'tsconfig.json']), 0);
      expectExit(run(appA, 'npx', ['tsc', '-p', 'tsconfig.bundler.json']), 0);
      expectExit(run(appA, 'npx', ['tsc', '-p', 'tsconfig.libcheck.json']), 0);
    });

    it('no output the runs wrote holds the API key the agent used', () => {
      const leaks = filesUnder(path.join(appA, 'out')).filter((f) => readFileSync(f, 'utf8').includes(SECRET));
      expect(leaks).toEqual([]);
    });
  });

  describe('app B: Faultline alone, then with only @anthropic-ai/sdk', () => {
    it('npx faultline --help and list work without any LLM client', () => {
      expectExit(run(appB, 'npx', ['faultline', '--help']), 0);
      const list = run(appB, 'npx', ['faultline', 'list']);
      expectExit(list, 0);
      expect(list.out.match(/^skip \d\d-[a-z-]+: its sample agents need openai/gm)).toHaveLength(12);
    });

    it('npx faultline run with no scenario that can run fails, saying what to install', () => {
      const ran = run(appB, 'npx', ['faultline', 'run']);
      expectExit(ran, 2);
      expect(ran.out).toContain('No built-in scenario can run here');
      expect(ran.out).toContain('Install openai');
    });

    it('npx faultline run on the packaged example scenario file', () => {
      const ran = run(appB, 'npx', [
        'faultline',
        'run',
        'node_modules/faultline/dist/scenarios/examples/weather-tool-down.yaml',
        '--runs',
        '30',
        '--out',
        'out',
      ]);
      expectExit(ran, 0);
      expect(ran.out).toContain('2 of 2 expectations held.');
    });

    it('with only @anthropic-ai/sdk, list still works and names openai for every scenario', () => {
      expectExit(run(appB, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '@anthropic-ai/sdk'], 600_000), 0);
      const list = run(appB, 'npx', ['faultline', 'list']);
      expectExit(list, 0);
      expect(list.out.match(/^skip \d\d-[a-z-]+: its sample agents need openai\b/gm)).toHaveLength(12);
      expect(list.out).not.toContain('need openai and @anthropic-ai/sdk');
    });
  });
});

function mkdirApp(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'faultline-alone', private: true, type: 'module' }, null, 2)}\n`);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}
