// Goal: no agent can hang the harness. Code that never yields (a synchronous loop, an endless
// microtask chain, a process.nextTick flood), a setImmediate flood and a real server each end within
// the wall-clock limit as a named outcome, nothing keeps running afterwards, and the next run is
// healthy. Method: each hang in a run with a short wall-clock limit, then a trivial run.
import { spawnSync } from 'node:child_process';
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

  it('stops code that never yields run after run, whatever promise plumbing the caller has pending', async () => {
    // An async function that returns simulate()'s promise queues a promise job behind the agent's
    // first microtask; were the agent started before that job ran, the stop would drop it and the
    // caller would wait forever (seen with three such runs in a row).
    const spin = async (seed: number): Promise<RunResult> =>
      simulate(
        async () => {
          for (;;) {}
        },
        { seed, limits },
      );
    for (const seed of [1, 2, 3]) {
      const r = await spin(seed);
      expect(r.outcome, r.message).toBe('timeout');
    }
    await expectHealthy();
  }, 60_000);

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

// A flood of microtasks or ticks is stopped the same way, but a stop inside a promise reaction
// leaves Node's async-context stack unbalanced when async_hooks with promise hooks are enabled
// (vitest's workers enable them): Node then ends the process. So these run in a child process of
// their own: a plain one, where the run ends as a named timeout; and one with promise hooks, where
// the run ends as a timeout or the process fails after the watchdog's line naming scenario, seed
// and actor — a clear process-level failure, never a hang.
describe('microtask and tick floods, in a process of their own', () => {
  const floods = ['an endless microtask chain', 'an await loop', 'a process.nextTick flood', 'a queueMicrotask flood'];
  const child = (kind: string, hooks: boolean) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/microtaskHang.ts', kind], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, HOOKS: hooks ? '1' : '0' },
    });
  for (const kind of floods) {
    // Known open bug: under heavy load on Node 22 a nextTick flood's child was once seen to outlive
    // the 60 s spawn timeout (1 run of ~10; not reproduced alone). One retry keeps CI's verdict
    // about the product; a flood that hangs every time still fails here.
    it(`${kind}: a named timeout, nothing left running, and a healthy next run`, { retry: 1 }, () => {
      const ran = child(kind, false);
      expect(ran.status, ran.stderr).toBe(0);
      const r = JSON.parse(ran.stdout.trim().split('\n').at(-1) ?? '{}') as { outcome: string; message: string; stillRunning: boolean; next: string };
      expect(r.outcome, r.message).toBe('timeout');
      expect(r.message).toMatch(/wall-clock limit|limits\.wallClockMs/);
      expect(r.stillRunning).toBe(false);
      expect(r.next).toBe('ok');
    });
    it(`${kind}, with promise hooks enabled: a named timeout, or a process failure that names the run first`, () => {
      const ran = child(kind, true);
      expect(ran.error, 'the child hung').toBeUndefined();
      if (ran.status === 0) expect(JSON.parse(ran.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ outcome: 'timeout' });
      else expect(ran.stderr).toMatch(/\[faultline\] Agent code kept the CPU busy without yielding .*\(scenario "hang", seed 1, actor "main"\)/);
    });
  }
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
