// Timing helpers for benchmarks. Benchmarks measure; they never assert. Every figure is the median
// of several rounds, and every table carries its baseline, measured in the same process and run.
import { wallClockMs } from '../harness/sim/runGlobals.ts';

export interface Measurement {
  readonly name: string;
  /** Operations per second (median over rounds). */
  readonly perSecond: number;
  /** Microseconds per operation (median over rounds). */
  readonly microsEach: number;
  readonly rounds: number;
  readonly opsPerRound: number;
}

/** Runs `op` `opsPerRound` times per round, after a warm-up, and reports the median round. */
export async function measure(
  name: string,
  op: (i: number) => Promise<unknown> | unknown,
  { opsPerRound, rounds = 5, warmup = Math.min(200, opsPerRound) }: { opsPerRound: number; rounds?: number; warmup?: number },
): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await op(i);
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = wallClockMs();
    for (let i = 0; i < opsPerRound; i++) await op(r * opsPerRound + i);
    perRound.push(wallClockMs() - start);
  }
  perRound.sort((a, b) => a - b);
  const median = perRound[Math.floor(perRound.length / 2)] as number;
  return { name, perSecond: (opsPerRound / median) * 1000, microsEach: (median * 1000) / opsPerRound, rounds, opsPerRound };
}

export function formatNumber(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** A markdown table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}
