// Goal: a duration of 2^31 ms (about 24.8 days) or more means what it says wherever the world takes
// one (world.sleep, a latency fault, limits.virtualTimeMs), instead of collapsing to 1 ms as a
// Node timer would. Method: runs that wait 30 days and longer, compared with the virtual clock.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, simulate } from '../../harness/index.ts';
import { expectDeterministic } from '../helpers/determinism.ts';

const day = 86_400_000;

describe('durations past 2^31 ms', () => {
  it('world.sleep of 30 days wakes after 30 days, not 1 ms', async () => {
    const r = await simulate(
      async (w) => {
        await w.sleep(30 * day);
        return w.now();
      },
      { limits: { virtualTimeMs: 60 * day } },
    );
    expect(r.outcome).toBe('ok');
    expect(r.value).toBe(30 * day);
  });

  it('runs into the default 24-hour limit when the limit is not raised', async () => {
    const r = await simulate(async (w) => w.sleep(30 * day));
    expect(r.outcome).toBe('timeout');
    expect(r.virtualTimeMs).toBe(day);
  });

  it('a latency fault of 3e9 ms delays the call by 3e9 ms', async () => {
    const tool = defineTool({ name: 'slow', description: 'x', input: z.object({}), handler: () => 'done' });
    const r = await simulate(
      async (w) => {
        await w.tools.call('slow', {});
        return w.now();
      },
      {
        tools: [tool],
        faults: [{ target: 'tool:slow', kind: 'latency', params: { latency: { kind: 'fixed', ms: 3e9 } } }],
        limits: { virtualTimeMs: 40 * day },
      },
    );
    expect(r.outcome).toBe('ok');
    expect(r.value).toBe(3e9);
  });

  it('limits.virtualTimeMs over 2^31 ends the run at that limit, not at t=1ms', async () => {
    const limit = 2 ** 31 + 5_000;
    const run = (seed: number) =>
      simulate(
        async (w) => {
          await w.sleep(2 ** 31);
          await w.sleep(day);
        },
        { seed, limits: { virtualTimeMs: limit } },
      );
    const r = await expectDeterministic(run, 3);
    expect(r.outcome).toBe('timeout');
    expect(r.virtualTimeMs).toBe(limit);
  });

  it('Number.MAX_SAFE_INTEGER sleeps until the limit', async () => {
    const r = await simulate(async (w) => w.sleep(Number.MAX_SAFE_INTEGER), { limits: { virtualTimeMs: 100 * day } });
    expect(r.outcome).toBe('timeout');
    expect(r.virtualTimeMs).toBe(100 * day);
  });
});
