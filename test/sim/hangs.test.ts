// Goal: no agent can hang the harness. Code that never yields (a synchronous loop, an endless
// microtask chain, a process.nextTick flood), a setImmediate flood and a real server each end within
// the wall-clock limit as a named outcome, nothing keeps running afterwards, and the next run is
// healthy. Method: each hang in a run with a short wall-clock limit, then a trivial run.
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isFaultlineError, type RunResult, simulate, type World } from '../../harness/index.ts';

const limits = { wallClockMs: 300 };

async function expectHealthy(): Promise<void> {
  const r = await simulate(async (w) => {
    await w.sleep(10);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => process.nextTick(resolve));
    return 'fine';
  });
  expect(r.outcome, r.message).toBe('ok');
  expect(r.value).toBe('fine');
}

/** Counts calls of `fn` until the count stops changing: a flood that outlived its run keeps counting. */
async function stillRunning(read: () => number): Promise<boolean> {
  const before = read();
  await new Promise((resolve) => setTimeout(resolve, 50));
  return read() !== before;
}

const hangs: Record<string, (count: { n: number }) => (w: World) => Promise<unknown>> = {
  'a synchronous infinite loop': () => async () => {
    for (;;) {}
  },
  'a synchronous loop in a later step': (count) => async (w) => {
    await w.sleep(5);
    for (;;) count.n++;
  },
  'an endless microtask chain': (count) => async () => {
    const next = (): unknown => {
      count.n++;
      return Promise.resolve().then(next);
    };
    await next();
  },
  'an await loop': (count) => async () => {
    for (;;) {
      count.n++;
      await null;
    }
  },
  'a process.nextTick flood': (count) => async () => {
    const next = (): void => {
      count.n++;
      process.nextTick(next);
    };
    next();
    await new Promise(() => undefined);
  },
  'a queueMicrotask flood': (count) => async () => {
    const next = (): void => {
      count.n++;
      queueMicrotask(next);
    };
    next();
    await new Promise(() => undefined);
  },
  'a setImmediate flood': (count) => async () => {
    const next = (): void => {
      count.n++;
      setImmediate(next);
    };
    next();
    await new Promise(() => undefined);
  },
  'a timer callback that never returns': () => async () => {
    setTimeout(() => {
      for (;;) {}
    }, 10);
    await new Promise(() => undefined);
  },
};

describe('hangs end as named outcomes, and the next run is healthy', () => {
  for (const [name, make] of Object.entries(hangs)) {
    it(name, async () => {
      const count = { n: 0 };
      const r: RunResult = await simulate(make(count), { seed: 1, scenario: 'hang', limits });
      expect(r.outcome, r.message).toBe('timeout');
      expect(r.message).toMatch(/wall-clock limit|limits\.wallClockMs/);
      expect(await stillRunning(() => count.n)).toBe(false);
      await expectHealthy();
    });
  }

  it('names the actor whose code never yielded', async () => {
    const r = await simulate(
      async (w) => {
        await w.spawn('spinner', async (s) => {
          await s.sleep(1);
          for (;;) {}
        });
      },
      { seed: 2, limits },
    );
    expect(r.outcome).toBe('timeout');
    expect(r.message).toMatch(/actor "spinner".*kept the CPU busy without yielding/);
  });
});

describe('real servers are refused', () => {
  it('net.Server#listen and http.Server#listen throw a Faultline error naming the port', async () => {
    for (const listen of [() => net.createServer().listen(0), () => http.createServer().listen(8123)]) {
      const r = await simulate(async () => listen(), { limits });
      expect(r.outcome).toBe('threw');
      expect(isFaultlineError(r.error)).toBe(true);
      expect(r.message).toMatch(/Real network call blocked: listening on port (0|8123).*msw handler/);
    }
    await expectHealthy();
  });

  it('and listening works again after the run', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});
