// Shared assertions about determinism, used by every feature's tests: the same seed gives the same
// trace, and other seeds explore other behaviour.
import { expect } from 'vitest';
import type { RunResult } from '../../harness/index.ts';

type Run = (seed: number) => Promise<RunResult>;

/** Runs `run` `times` times with one seed and asserts that every trace hash is the same. */
export async function expectDeterministic(run: Run, seed: number, times = 2): Promise<RunResult> {
  const first = await run(seed);
  for (let i = 1; i < times; i++) {
    const again = await run(seed);
    expect(again.traceHash, `run ${i + 1} of seed ${seed} diverged from run 1`).toBe(first.traceHash);
    expect(again.outcome).toBe(first.outcome);
  }
  return first;
}

/** The number of distinct trace hashes over `seeds`. */
export async function distinctTraces(run: Run, seeds: readonly number[]): Promise<number> {
  const hashes = new Set<string>();
  for (const seed of seeds) hashes.add((await run(seed)).traceHash);
  return hashes.size;
}

export function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}
