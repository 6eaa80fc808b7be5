// Start-up: how long a fresh Node process takes before it can simulate anything. Every worker
// thread of a check, every `faultline` command and every program that imports the package pays it
// once. Each entry is measured in fresh child processes (median of 5, after one unmeasured warm-up
// that fills the disk cache and tsx's cache), against `node -e ''` in the same run: the time the
// child spends in `await import(entry)` (performance.now() around it), and the whole process from
// spawn to exit. A second table finds what costs the most: each heavy dependency imported alone,
// and imported after an entry, where ~0 ms means the entry had loaded it already.
// Measures the built package in dist/: run `npm run build` first. Measures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { wallClockMs } from '../harness/sim/runGlobals.ts';
import { formatNumber, table } from './measure.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What a child process does: imports `specifiers` in order, timing the last one. */
interface Child {
  readonly name: string;
  /** Node options before the script, such as `--import tsx`. */
  readonly node?: readonly string[];
  /** Modules the child imports before the timed one (not timed). */
  readonly before?: readonly string[];
  /** The timed import; undefined for a command. */
  readonly specifier?: string;
  /** A command line for node instead of an import (`bin/faultline.js --version`). */
  readonly command?: readonly string[];
}

interface Timing {
  /** Milliseconds inside the child's `await import(...)`; NaN for a command. */
  readonly importMs: number;
  /** Milliseconds from spawn to exit. */
  readonly processMs: number;
}

function script(child: Child): string {
  const before = (child.before ?? []).map((s) => `await import(${JSON.stringify(s)});`).join('\n');
  return `${before}\nconst t0 = performance.now();\nawait import(${JSON.stringify(child.specifier)});\nprocess.stdout.write(String(performance.now() - t0));\n`;
}

function once(child: Child): Timing {
  const args = child.command !== undefined ? [...(child.node ?? []), ...child.command] : [...(child.node ?? []), '--input-type=module', '-e', script(child)];
  // The bench runs under tsx; its children get a plain environment, so each loads only what it names.
  const { NODE_OPTIONS: _omitted, ...env } = process.env;
  const start = wallClockMs();
  const out = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8' });
  const processMs = wallClockMs() - start;
  if (out.status !== 0) throw new Error(`[faultline bench] startup: "${child.name}" exited ${String(out.status)}: ${out.stderr.slice(0, 2_000)}`);
  return { importMs: child.command === undefined ? Number(out.stdout) : Number.NaN, processMs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function measureChild(child: Child, rounds: number, warmUp = true): Timing {
  if (warmUp) once(child);
  const timings = Array.from({ length: rounds }, () => once(child));
  return { importMs: median(timings.map((t) => t.importMs)), processMs: median(timings.map((t) => t.processMs)) };
}

const ENTRIES: readonly Child[] = [
  { name: "`node -e ''` (floor)", command: ['-e', ''] },
  { name: '`dist/harness/simulate.js`', specifier: './dist/harness/simulate.js' },
  { name: "`import 'faultline'` (dist/harness/index.js)", specifier: 'faultline' },
  { name: '`dist/harness/runWorker.js` (a worker, built package)', specifier: './dist/harness/runWorker.js' },
  { name: '`harness/runWorker.ts` through tsx (a worker, this repository)', node: ['--import', 'tsx'], specifier: './harness/runWorker.ts' },
  { name: '`faultline --help` (the CLI has no --version)', command: ['bin/faultline.js', '--help'] },
  { name: '`faultline list` (loads every built-in scenario)', command: ['bin/faultline.js', 'list'] },
];

/** The heavy dependencies, as the harness imports them. */
const MODULES: readonly string[] = [
  '@faker-js/faker',
  '@modelcontextprotocol/sdk/types.js',
  '@modelcontextprotocol/sdk/server/sse.js',
  '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js',
  '@smithy/eventstream-codec',
  './dist/adapters/routes.js',
  'msw',
  'msw/node',
  'zod',
  'yaml',
  'fast-check',
  '@sinonjs/fake-timers',
  'commander',
];

function entryTable(rounds: number): string {
  const rows: string[][] = [];
  let floor: number | undefined;
  for (const child of ENTRIES) {
    const t = measureChild(child, rounds);
    floor ??= t.processMs;
    rows.push([child.name, Number.isNaN(t.importMs) ? '—' : formatNumber(t.importMs), formatNumber(t.processMs), `${formatNumber(t.processMs / floor)}×`]);
  }
  return table(['entry', 'import, ms', 'process, ms', 'process vs floor'], rows);
}

function moduleTable(rounds: number): string {
  const rows = MODULES.map((specifier) => {
    // The entry table warmed the disk cache already; these children are many, so none is unmeasured.
    const alone = measureChild({ name: specifier, specifier }, rounds, false).importMs;
    const after = (entry: string) => measureChild({ name: `${specifier} after ${entry}`, before: [entry], specifier }, rounds, false).importMs;
    return [`\`${specifier}\``, formatNumber(alone), formatNumber(after('./dist/harness/simulate.js')), formatNumber(after('faultline'))];
  });
  return table(['module', 'alone, ms', 'after simulate.js, ms', "after 'faultline', ms"], rows);
}

export async function startupBench(): Promise<string> {
  if (!existsSync(path.join(root, 'dist/harness/simulate.js'))) {
    throw new Error('[faultline bench] startup measures the built package, and dist/ is missing: run `npm run build` first, then the bench again.');
  }
  const entries = entryTable(5);
  const modules = moduleTable(3);
  return [
    "### Start-up: importing the harness (fresh processes, median of 5; the floor is `node -e ''`)",
    entries,
    '#### What the start-up loads: each dependency alone, and what is left of it after an entry (median of 3; ~0 ms: the entry loaded it)',
    modules,
  ].join('\n\n');
}
