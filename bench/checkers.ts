// Checker benchmark: milliseconds per check of generated register histories of 1k, 10k and 100k
// operations (five processes, about 250 operations per key, overlapping windows, 2% of operations
// failed or unacknowledged), against the floor of a plain pass that only pairs invocations with
// completions (pairOps), measured in the same run.
import { checkLinearizable, checkLostUpdates, pairOps } from '../harness/check/index.ts';
import { RandomStream } from '../harness/sim/rng.ts';
import { type Fate, runWorkload, type Step, type StepKind } from '../test/check/workload.ts';
import { formatNumber, type Measurement, measure, table } from './measure.ts';

const SIZES = [1_000, 10_000, 100_000];
const PROCESSES = 5;
const OPS_PER_KEY = 250;

const KINDS: readonly StepKind[] = ['read', 'read', 'write', 'cas', 'append'];
const UNUSUAL_FATES: readonly Fate[] = ['fail', 'info-applied', 'info-dropped', 'open'];

/** A seeded workload: the same steps on every machine and every run. */
function steps(count: number): Step[] {
  const random = new RandomStream(`checkers-bench-${count}`, 'workload');
  const keys = Math.max(1, Math.round(count / OPS_PER_KEY));
  return Array.from({ length: count }, () => ({
    process: random.int(0, PROCESSES - 1),
    key: random.int(0, keys - 1),
    kind: random.pick(KINDS),
    fate: random.bool(0.02) ? random.pick(UNUSUAL_FATES) : 'ok',
    lead: random.int(0, 100),
    lag: random.int(0, 100),
  }));
}

interface Row {
  readonly size: number;
  readonly m: Measurement;
  readonly floor: Measurement;
  readonly note: string;
}

async function timed(name: string, size: number, check: () => unknown): Promise<Measurement> {
  // Large histories take long enough that one check per round gives a stable median.
  const opsPerRound = size >= 100_000 ? 1 : size >= 10_000 ? 5 : 50;
  return measure(name, check, { opsPerRound, rounds: 5, warmup: Math.min(3, opsPerRound) });
}

async function rowsFor(size: number): Promise<Row[]> {
  const careful = runWorkload(steps(size)).history;
  const naive = runWorkload(steps(size), { naiveWrites: true }).history;
  const floor = await timed('pairOps (floor: one pass)', size, () => pairOps(careful));
  const lin = checkLinearizable(careful);
  const lost = checkLostUpdates(naive);
  const linNote = `${lin.outcome}; ${lin.stats.partitions} keys, ${lin.stats.states} states for ${lin.stats.ops} register ops`;
  const checks: Array<[string, () => unknown, string]> = [
    ['checkLinearizable', () => checkLinearizable(careful), linNote],
    ['checkLostUpdates, cas clients', () => checkLostUpdates(careful), `${checkLostUpdates(careful).violations.length} violations`],
    ['checkLostUpdates, blind-write clients', () => checkLostUpdates(naive), `${lost.violations.length} violations`],
  ];
  const out: Row[] = [{ size, m: floor, floor, note: `${careful.length} events` }];
  for (const [name, check, note] of checks) out.push({ size, m: await timed(name, size, check), floor, note });
  return out;
}

export async function checkersBench(): Promise<string> {
  const rows: Row[] = [];
  for (const size of SIZES) rows.push(...(await rowsFor(size)));
  const body = rows.map(({ size, m, floor, note }) => {
    const ms = m.microsEach / 1000;
    return [m.name, formatNumber(size), formatNumber(ms), formatNumber((size / ms) * 1000), `${formatNumber(m.microsEach / floor.microsEach)}×`, note];
  });
  return (
    `### Checkers: generated register histories (${PROCESSES} processes, ~${OPS_PER_KEY} ops per key, overlapping windows)\n\n` +
    table(['checker', 'history ops', 'ms/check', 'ops/s', 'cost vs floor', 'result'], body) +
    '\n\nAn op is one invocation with its completion (two history events). The floor pairs every ' +
    'invocation with its completion and does nothing else; every checker does at least that much.'
  );
}
