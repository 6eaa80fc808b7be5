// Scheduling strategies benchmark: runs to the first detection of the racing-bank lost update
// (three agents doing read-modify-write amid other work; see test/demos/bank.ts) under uniform
// random scheduling and under PCT, each from several base seeds with the same budget of runs.
import type { StrategyOptions } from '../harness/index.ts';
import { runBank } from '../test/demos/bank.ts';
import { formatNumber, table } from './measure.ts';

const BUDGET = 1_000;
const BASES = [0, 1, 2, 3, 4, 5, 6];

async function firstDetection(schedule: StrategyOptions, base: number): Promise<number | undefined> {
  for (let i = 0; i < BUDGET; i++) {
    if ((await runBank(base * BUDGET + i, schedule)).value !== 130) return i + 1;
  }
  return undefined;
}

export async function schedulesBench(): Promise<string> {
  const strategies: Array<[string, StrategyOptions]> = [
    ['first-in-first-out', { kind: 'fifo' }],
    ['uniform random', { kind: 'random' }],
    ['PCT, depth 2', { kind: 'pct', depth: 2 }],
    ['PCT, depth 3', { kind: 'pct', depth: 3 }],
  ];
  const rows: string[][] = [];
  for (const [name, schedule] of strategies) {
    const found: Array<number | undefined> = [];
    for (const base of BASES) found.push(await firstDetection(schedule, base));
    const hits = found.filter((f): f is number => f !== undefined).sort((a, b) => a - b);
    const median = hits.length > BASES.length / 2 ? hits[Math.floor(BASES.length / 2)] : undefined;
    rows.push([
      name,
      found.map((f) => (f === undefined ? '—' : String(f))).join(', '),
      median === undefined ? `not found (budget ${BUDGET})` : formatNumber(median),
    ]);
  }
  return (
    `### Scheduling: runs to first detection of the racing-bank lost update (budget ${formatNumber(BUDGET)} runs per base seed)\n\n` +
    table(['strategy', `first detection, base seeds ${BASES.join(', ')}`, 'median'], rows) +
    '\n\nThe race needs one agent to run far ahead of another between its read and its write: a single ' +
    'well-placed preemption, which PCT makes by design and uniform random choices almost never do.'
  );
}
