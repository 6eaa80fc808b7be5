// Goal: the run's virtual clock behaves as Node's clocks do, in virtual time, while being swapped
// onto the globals per run and reused from run to run: node:timers/promises rejects and iterates as
// Node does, a reused clock gives the same values as a fresh one, a timer handle kept past its run
// never calls back into it, and a real timer made outside a run can be cleared inside one.
// Method: drive each through simulate() and compare with what real Node does outside a run.
import { setInterval as promisedInterval, setTimeout as promisedTimeout } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../harness/index.ts';
import { holdGlobals } from '../../harness/sim/runGlobals.ts';

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** What an AbortError from node:timers/promises looks like, as data. */
const shape = (error: unknown) => {
  const e = error as { name?: string; code?: string; message?: string; cause?: unknown };
  return { name: e.name, code: e.code, message: e.message, cause: e.cause, isError: error instanceof Error };
};

describe('node:timers/promises during a run', () => {
  it('setTimeout rejects as real Node does when its signal aborts, before or while waiting', async () => {
    const real = await promisedTimeout(1, 'v', { signal: AbortSignal.abort('early') }).catch(shape);
    const r = await simulate(async (w) => {
      const early = await promisedTimeout(1_000, 'v', { signal: AbortSignal.abort('early') }).catch(shape);
      const controller = new AbortController();
      setTimeout(() => controller.abort('late'), 10);
      const late = await promisedTimeout(1_000, 'v', { signal: controller.signal }).catch(shape);
      const resolved = await promisedTimeout(250, 'value');
      return { early, late, resolved, at: w.now() };
    });
    expect(r.outcome).toBe('ok');
    expect(r.value?.early).toEqual(real);
    expect(r.value?.late).toEqual({ ...(real as object), cause: 'late' });
    expect(real).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR', cause: 'early', isError: true });
    // 10 ms until the abort, then 250 ms for the one that resolved: virtual time, not the 1 s timers.
    expect(r.value?.resolved).toBe('value');
    expect(r.value?.at).toBe(260);
  });

  it('setInterval yields once per interval in virtual time, and ends with AbortError when aborted', async () => {
    const r = await simulate(async (w) => {
      const seen: number[] = [];
      for await (const value of promisedInterval(1_000, 'tick')) {
        seen.push(w.now());
        if (value !== 'tick' || seen.length === 3) break;
      }
      const controller = new AbortController();
      setTimeout(() => controller.abort('stop'), 2_500);
      let ticks = 0;
      const ended = await (async () => {
        for await (const _ of promisedInterval(1_000, 'x', { signal: controller.signal })) ticks++;
      })().catch(shape);
      return { seen, ticks, ended, at: w.now() };
    });
    expect(r.outcome).toBe('ok');
    expect(r.value?.seen).toEqual([1_000, 2_000, 3_000]);
    expect(r.value?.ticks).toBe(2);
    expect(r.value?.ended).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR', cause: 'stop' });
    expect(r.value?.at).toBe(5_500);
  });
});

describe('a virtual clock reused from run to run', () => {
  const clocks = (w: { sleep(ms: number): Promise<void> }) => async () => {
    await w.sleep(1_234);
    await new Promise((resolve) => setTimeout(resolve, 17));
    return {
      date: Date.now(),
      iso: new Date().toISOString(),
      text: Date(),
      perf: performance.now(),
      hr: process.hrtime(),
      big: String(process.hrtime.bigint()),
    };
  };

  it('gives the same clock readings and trace from the same seed, whatever ran before', async () => {
    const first = await simulate((w) => clocks(w)(), { seed: 7 });
    const release = holdGlobals();
    try {
      for (let i = 0; i < 20; i++) await simulate((w) => clocks(w)(), { seed: i });
      const again = await simulate((w) => clocks(w)(), { seed: 7 });
      expect(again.value).toEqual(first.value);
      expect(again.traceHash).toBe(first.traceHash);
    } finally {
      release();
    }
    expect(first.value?.perf).toBe(1_251);
    expect(first.value?.hr).toEqual([1, 251_000_000]);
    expect(first.value?.big).toBe('1251000000');
    expect(first.value?.date).toBe(Date.parse(first.value?.iso ?? ''));
    // Another seed starts the clock elsewhere (the start time is drawn from the seed) or not; its
    // elapsed time is the same program's.
    const other = await simulate((w) => clocks(w)(), { seed: 8 });
    expect(other.value?.perf).toBe(first.value?.perf);
  });

  it('never calls back into a run that has ended, even when its timer handle is refreshed in a later one', async () => {
    let kept: ReturnType<typeof setTimeout> | undefined;
    let calledLate = false;
    const a = await simulate(async () => {
      let ended = false;
      kept = setTimeout(() => {
        if (ended) calledLate = true;
      }, 500);
      ended = true;
      return 'a';
    });
    expect(a.outcome).toBe('ok');
    const b = await simulate(async (w) => {
      kept?.refresh();
      await w.sleep(5_000);
      return w.now();
    });
    expect(b.outcome).toBe('ok');
    expect(b.value).toBe(5_000);
    expect(calledLate).toBe(false);
  });

  it('clears a real timer made outside the run when agent code clears it during the run', async () => {
    let fired = false;
    const handle = realSetTimeout(() => {
      fired = true;
    }, 20);
    const r = await simulate(async () => {
      clearTimeout(handle);
      return 'cleared';
    });
    expect(r.outcome).toBe('ok');
    // Node fires timers in order of their due time: had the first one survived, it fired before this.
    await new Promise((resolve) => realSetTimeout(resolve, 40));
    expect(fired).toBe(false);
    realClearTimeout(handle);
  });
});
