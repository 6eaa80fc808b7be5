// Goal: hostile states of the process end a run with a clear Faultline error and leave nothing
// patched: someone else's fake timers, a thrown value that cannot be printed, agent code that
// freezes or locks what the run replaced. Method: each state around or inside simulate(), then
// the globals compared with a snapshot and a healthy run.
import { describe, expect, it, vi } from 'vitest';
import { isFaultlineError, simulate } from '../../harness/index.ts';

const snapshot = () => ({
  setTimeout: globalThis.setTimeout,
  Date: globalThis.Date,
  random: Math.random,
  fetch: globalThis.fetch,
  freeze: Object.freeze,
  nextTick: process.nextTick,
  setImmediate: globalThis.setImmediate,
});

async function expectHealthy(): Promise<void> {
  const r = await simulate(async (w) => {
    await w.sleep(5);
    return Math.random();
  });
  expect(r.outcome, r.message).toBe('ok');
}

describe('fake timers of the test runner', () => {
  it('are refused with a Faultline error naming the cure, and nothing is patched', async () => {
    const before = snapshot();
    vi.useFakeTimers();
    try {
      const faked = snapshot();
      const failure = await simulate(async () => 1).catch((e: unknown) => e);
      expect(isFaultlineError(failure)).toBe(true);
      expect((failure as Error).message).toMatch(/fake timers are installed.*vi\.useRealTimers\(\)/s);
      expect(snapshot()).toEqual(faked);
    } finally {
      vi.useRealTimers();
    }
    expect(snapshot()).toEqual(before);
    await expectHealthy();
  });
});

describe('a thrown value that cannot be printed', () => {
  const unprintable = [
    {
      toString: () => {
        throw new Error('no toString');
      },
    },
    Object.create(null),
    Object.defineProperty(new Error('x'), 'name', {
      get() {
        throw new Error('no name');
      },
    }),
  ];
  for (const [i, thrown] of unprintable.entries()) {
    it(`is reported as threw, without an unhandled rejection (${i})`, async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown) => unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        const r = await simulate(async (w) => {
          await w.sleep(1);
          await w.spawn('helper', () => Promise.reject(thrown)).catch(() => undefined);
          throw thrown;
        });
        expect(r.outcome).toBe('threw');
        expect(r.error).toBe(thrown);
        expect(r.message).toMatch(/^The agent threw at t=1ms: \[object (Object|Error)\]\.$/);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  }
});

describe('agent code that freezes what the run replaced', () => {
  it('is refused at the freeze, and the run gives everything back', async () => {
    const before = snapshot();
    const r = await simulate(async (w) => {
      await w.sleep(1);
      Object.freeze(Math);
    });
    expect(r.outcome).toBe('threw');
    expect(isFaultlineError(r.error)).toBe(true);
    expect(r.message).toMatch(/Object\.freeze\(Math\) was called during a simulated run/);
    expect(Object.isFrozen(Math)).toBe(false);
    expect(snapshot()).toEqual(before);
    await expectHealthy();
  });

  it('freezing its own objects still works during a run', async () => {
    const r = await simulate(() => Object.isFrozen(Object.freeze({ a: 1 })));
    expect(r.value).toBe(true);
  });
});
