// Goal: globals locked for good (non-configurable, frozen) are refused before a run starts, with a
// Faultline error naming the global, and nothing is patched. Method: lock them in this file's own
// process (vitest runs each file in its own fork), in order of severity, and try a run after each.
import { describe, expect, it } from 'vitest';
import { isFaultlineError, simulate } from '../../harness/index.ts';

const snapshot = () => ({ setTimeout: globalThis.setTimeout, Date: globalThis.Date, random: Math.random, fetch: globalThis.fetch, nextTick: process.nextTick });

describe('locked globals', () => {
  it('Math.random made non-configurable during a run is still given back', async () => {
    const before = snapshot();
    const r = await simulate(async (w) => {
      await w.sleep(1);
      Object.defineProperty(Math, 'random', { configurable: false });
      return Math.random();
    });
    expect(r.outcome, r.message).toBe('ok');
    expect(snapshot()).toEqual(before);
    expect(Math.random()).not.toBe(Math.random());
  });

  it('a read-only, non-configurable fetch is refused, naming it', async () => {
    const realFetch = globalThis.fetch;
    Object.defineProperty(globalThis, 'fetch', { value: realFetch, writable: false, configurable: false });
    const before = snapshot();
    const failure = await simulate(async () => 1).catch((e: unknown) => e);
    expect(isFaultlineError(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/cannot take over globalThis\.fetch for the run: the property is read-only and not configurable/);
    expect(snapshot()).toEqual(before);
  });

  it('a frozen Math is refused, naming it', async () => {
    Object.freeze(Math);
    const before = snapshot();
    const failure = await simulate(async () => 1).catch((e: unknown) => e);
    expect(isFaultlineError(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/cannot take over Math\.random/);
    expect(snapshot()).toEqual(before);
  });
});
