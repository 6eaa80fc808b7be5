// Goal: every way a run can end is classified precisely and explained. Method: small agents that
// finish, throw, get stuck, run out of virtual time or steps, and try to reach the real network.
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isFaultlineError, simulate, spansOf } from '../../harness/index.ts';

describe('outcome: ok and threw', () => {
  it('is ok with the value when the agent returns', async () => {
    const r = await simulate(async (world) => {
      await world.sleep(250);
      return 'done';
    });
    expect(r.outcome).toBe('ok');
    expect(r.value).toBe('done');
    expect(r.virtualTimeMs).toBe(250);
    expect(r.message).toMatch(/finished at t=250ms/);
  });

  it('is threw with the error, synchronous or not', async () => {
    const sync = await simulate(() => {
      throw new Error('boom');
    });
    expect(sync.outcome).toBe('threw');
    expect((sync.error as Error).message).toBe('boom');
    const later = await simulate(async (world) => {
      await world.sleep(10);
      throw new TypeError('later');
    });
    expect(later.outcome).toBe('threw');
    expect(later.message).toBe('The agent threw at t=10ms: TypeError: later.');
  });

  it('is threw when an exception escapes an agent timer callback', async () => {
    const r = await simulate(async () => {
      setTimeout(() => {
        throw new Error('from a timer');
      }, 5);
      await new Promise(() => undefined);
    });
    expect(r.outcome).toBe('threw');
    expect(r.message).toMatch(/from a timer callback.*from a timer/);
  });
});

describe('finished: the main actor settles', () => {
  it('ends the run when main returns, leaving other actors unfinished in the trace', async () => {
    const r = await simulate(async (world) => {
      void world.spawn('slow', (w) => w.sleep(10_000));
      await world.sleep(5);
      return 'main is done';
    });
    expect(r.outcome).toBe('ok');
    expect(r.virtualTimeMs).toBe(5);
    const slow = spansOf(r.trace).filter((s) => s.actor === 'slow');
    expect(slow.map((s) => [s.kind, s.outcome])).toEqual([
      ['actor', 'unfinished'],
      ['sleep', 'unfinished'],
    ]);
    expect(r.actors.find((a) => a.name === 'slow')?.state).toBe('running');
  });
});

describe('idle: microtasks and setImmediate drain before the kernel moves', () => {
  it('does not call a long chain of microtasks stuck', async () => {
    const r = await simulate(async (world) => {
      let n = 0;
      for (let i = 0; i < 10_000; i++) n += await Promise.resolve(1);
      await world.sleep(1);
      return n;
    });
    expect(r.outcome).toBe('ok');
    expect(r.value).toBe(10_000);
  });

  it('waits for setImmediate callbacks of agent code before deciding the run is stuck', async () => {
    const r = await simulate(async () => {
      let hops = 0;
      await new Promise<void>((resolve) => {
        const hop = (): void => {
          hops++;
          if (hops === 200) resolve();
          else setImmediate(hop);
        };
        setImmediate(hop);
      });
      return hops;
    });
    expect(r.outcome).toBe('ok');
    expect(r.value).toBe(200);
  });
});

describe('stuck: deadlock', () => {
  it('is deadlock when the agent awaits what nothing will settle, naming each blocked actor', async () => {
    const r = await simulate(async (world) => {
      const gate = new Promise<void>(() => undefined);
      await Promise.all([
        world.spawn('planner', async (w) => {
          await w.sleep(30);
          await gate;
        }),
        world.spawn('executor', async (w) => {
          await w.sleep(40);
          await gate;
        }),
      ]);
    });
    expect(r.outcome).toBe('deadlock');
    expect(r.virtualTimeMs).toBe(40);
    expect(r.blocked.map((b) => b.actor)).toEqual(['main', 'planner', 'executor']);
    expect(r.message).toContain('Deadlock at t=40ms');
    expect(r.message).toContain('"planner" awaits a promise that no world event will settle (its last world call, sleep 30ms, returned at t=30ms)');
    expect(r.message).toContain('"main" awaits a promise that no world event will settle (it has made no world call yet)');
  });

  it('is not deadlock while a timer is pending: virtual time jumps to it', async () => {
    const r = await simulate(async () => {
      await new Promise((resolve) => setTimeout(resolve, 90 * 60_000));
      return Date.now();
    });
    expect(r.outcome).toBe('ok');
    expect(r.virtualTimeMs).toBe(90 * 60_000);
    expect(r.value).toBe(Date.UTC(2025, 0, 1) + 90 * 60_000);
  });
});

describe('timeout and livelock', () => {
  it('is timeout when virtual time reaches the limit', async () => {
    const r = await simulate(
      async () => {
        setInterval(() => undefined, 1000);
        await new Promise(() => undefined);
      },
      { limits: { virtualTimeMs: 60_000 } },
    );
    expect(r.outcome).toBe('timeout');
    expect(r.virtualTimeMs).toBe(60_000);
    expect(r.message).toMatch(/virtual time limit \(limits.virtualTimeMs = 60000\) at t=60000ms/);
  });

  it('is livelock when the run keeps stepping without finishing', async () => {
    const r = await simulate(
      async (world) => {
        for (;;) await world.sleep(0);
      },
      { limits: { steps: 500 } },
    );
    expect(r.outcome).toBe('livelock');
    expect(r.stats.steps).toBe(500);
    expect(r.message).toMatch(/500 steps \(limits.steps\)/);
  });

  it('abandons a run past the wall-clock guard (with a fake wall clock, so the test is exact)', async () => {
    let wall = 0;
    const r = await simulate(
      async (world) => {
        for (;;) await world.sleep(1);
      },
      { limits: { wallClockMs: 5_000 }, wallClock: () => (wall += 1_000) },
    );
    expect(r.outcome).toBe('timeout');
    expect(r.message).toMatch(/abandoned after 5000ms of real time/);
  });
});

describe('no real network during a run', () => {
  it('rejects the global fetch, naming the URL and what to do', async () => {
    const r = await simulate(async (world) => {
      await world.sleep(10);
      await fetch('https://api.openai.com/v1/models?api_key=sk-secret');
    });
    expect(r.outcome).toBe('threw');
    expect(isFaultlineError(r.error)).toBe(true);
    expect(r.message).toContain('Real network call blocked: GET https://api.openai.com/v1/models');
    expect(r.message).toContain('t=10ms');
    expect(r.message).not.toContain('sk-secret');
    expect(r.message).toContain('fetch: world.fetch');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.kind).toBe('real-network');
  });

  it('blocks node:http and raw sockets too', async () => {
    const r = await simulate(async () => {
      const viaHttp = (() => {
        try {
          http.get('http://localhost:9/x');
          return 'connected';
        } catch (error) {
          return (error as Error).message;
        }
      })();
      const viaSocket = await new Promise<string>((resolve) => {
        const socket = net.connect(5432, 'db.internal');
        socket.on('error', (error) => resolve(error.message));
        socket.on('connect', () => resolve('connected'));
      });
      return [viaHttp, viaSocket];
    });
    expect(r.outcome).toBe('ok');
    const [viaHttp, viaSocket] = r.value as string[];
    expect(viaHttp).toContain('GET http://localhost:9/x');
    expect(viaSocket).toContain('connection to db.internal:5432');
    expect(r.problems.map((p) => p.kind)).toEqual(['real-network', 'real-network']);
  });
});

describe('options and misuse', () => {
  it('rejects bad options, listing every problem at once', async () => {
    await expect(
      simulate(async () => 1, { limits: { steps: -1, virtualTimeMs: Number.NaN }, latency: { kind: 'uniform', minMs: 9, maxMs: 1 } }),
    ).rejects.toThrow(/limits.virtualTimeMs must be.*\n.*limits.steps must be.*\n.*latency.minMs must be <= latency.maxMs/s);
  });

  it('refuses overlapping runs, which would share the process globals', async () => {
    const first = simulate((world) => world.sleep(5));
    await expect(simulate(async () => 1)).rejects.toThrow(/another simulated run is in progress/);
    expect((await first).outcome).toBe('ok');
  });

  it('refuses world calls made after the run ended', async () => {
    let leaked: (() => Promise<void>) | undefined;
    await simulate(async (world) => {
      leaked = () => world.sleep(1);
    });
    expect(() => leaked?.()).toThrow(/called after the simulated run ended/);
  });
});
