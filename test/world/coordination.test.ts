// Goal: agents that coordinate through locks, mailboxes, channels and joins either finish, degrade
// through timeouts, or end in a deadlock whose cycle is named with the virtual time it formed.
// Method: small multi-actor agents for each primitive, run under several seeds and strategies.
import { describe, expect, it } from 'vitest';
import { simulate, type World } from '../../harness/index.ts';
import { expectDeterministic } from '../helpers/determinism.ts';

/** Two agents that each wait for the other's reply before replying. */
function mutualWait(timeoutMs?: number) {
  return async (world: World): Promise<string[]> => {
    const agent = (me: string, other: string) => async (w: World) => {
      await w.sleep(me === 'planner' ? 100 : 250);
      try {
        const reply = await w.receive<string>({ from: other, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
        w.send(other, `ack from ${me}`);
        return reply.body;
      } catch {
        return `${me} gave up waiting for ${other} and answered alone`;
      }
    };
    return Promise.all([world.spawn('planner', agent('planner', 'executor')), world.spawn('executor', agent('executor', 'planner'))]);
  };
}

describe('deadlock cycles', () => {
  it("names two agents waiting on each other's replies, and when the cycle formed", async () => {
    const r = await expectDeterministic((seed) => simulate(mutualWait(), { seed }), 3);
    expect(r.outcome).toBe('deadlock');
    expect(r.cycle?.sentence).toBe('executor waits for a message from planner; planner waits for a message from executor');
    expect(r.cycle?.formedAt).toBe(250);
    expect(r.message).toBe(
      'Deadlock at t=250ms: executor waits for a message from planner; planner waits for a message from executor (the cycle formed at t=250ms). Break the cycle, or give one of these waits a timeout.',
    );
  });

  it('does not mistake a ping-pong for a deadlock: a message already sent ends the wait for it', async () => {
    const r = await simulate(async (world) => {
      const a = world.spawn('a', async (w) => {
        await w.sleep(100);
        w.send('b', 'ping');
        return (await w.receive<string>({ from: 'b' })).body;
      });
      const b = world.spawn('b', async (w) => {
        const ping = await w.receive<string>({ from: 'a' });
        w.send('a', `${ping.body} pong`);
        return 'served';
      });
      return Promise.all([a, b]);
    });
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toEqual(['ping pong', 'served']);
  });

  it('lets the same agents degrade when their waits have timeouts', async () => {
    const r = await simulate(mutualWait(2_000));
    expect(r.outcome).toBe('ok');
    expect(r.value).toEqual(['planner gave up waiting for executor and answered alone', 'executor gave up waiting for planner and answered alone']);
    expect(r.virtualTimeMs).toBe(2_250);
  });

  it('names a lock-order cycle as it forms, even with unrelated timers pending', async () => {
    const r = await simulate(async (world) => {
      setInterval(() => undefined, 1_000); // a heartbeat: the run is never idle, yet it is deadlocked
      const transfer = (first: string, second: string) => async (w: World) => {
        const a = await w.mutex(first).lock();
        await w.sleep(10);
        const b = await w.mutex(second).lock();
        b();
        a();
      };
      await Promise.all([world.spawn('alice', transfer('ledger', 'audit')), world.spawn('bob', transfer('audit', 'ledger'))]);
    });
    expect(r.outcome).toBe('deadlock');
    expect(r.cycle?.sentence).toBe('bob waits for lock "ledger" held by alice; alice waits for lock "audit" held by bob');
    expect(r.virtualTimeMs).toBe(10);
  });

  it('does not call a lock wait a deadlock when it can time out', async () => {
    const r = await simulate(async (world) => {
      const release = await world.mutex('m').lock();
      const other = world.spawn('other', (w) =>
        w
          .mutex('m')
          .lock({ timeoutMs: 500 })
          .then(
            () => 'got it',
            (e: Error) => e.name,
          ),
      );
      await world.sleep(1_000);
      release();
      return other;
    });
    expect(r.value).toBe('WaitTimeoutError');
  });
});

describe('locks, channels, joins', () => {
  it('serialises critical sections and hands the lock to waiters in order', async () => {
    const r = await simulate(async (world) => {
      const log: string[] = [];
      await Promise.all(
        ['a', 'b', 'c'].map((name) =>
          world.spawn(name, (w) =>
            w.mutex('m').withLock(async () => {
              log.push(`${name}+`);
              await w.sleep(5);
              log.push(`${name}-`);
            }),
          ),
        ),
      );
      return log;
    });
    expect(r.value).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });

  it('lets a semaphore admit N at a time', async () => {
    const r = await simulate(async (world) => {
      let inside = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          world.spawn(`w${i}`, (w) =>
            w.semaphore('pool', 2).withLock(async () => {
              most = Math.max(most, ++inside);
              await w.sleep(10);
              inside--;
            }),
          ),
        ),
      );
      return [most, world.now()];
    });
    expect(r.value).toEqual([2, 30]);
  });

  it('applies backpressure: a full channel makes the producer wait, and records the deepest queue', async () => {
    const r = await simulate(async (world) => {
      const jobs = world.channel<number>('jobs', { capacity: 2 });
      const producer = world.spawn('producer', async (w) => {
        const ch = w.channel<number>('jobs');
        for (let i = 0; i < 6; i++) await ch.send(i);
        return w.now();
      });
      const consumer = world.spawn('consumer', async (w) => {
        const ch = w.channel<number>('jobs');
        const got: number[] = [];
        for (let i = 0; i < 6; i++) {
          got.push(await ch.receive());
          await w.sleep(100);
        }
        return got;
      });
      return [await producer, await consumer, jobs.depth];
    });
    expect(r.value).toEqual([300, [0, 1, 2, 3, 4, 5], 0]);
    const depths = r.trace.filter((e) => e.type === 'mark' && e.name === 'queue.depth').map((e) => (e as unknown as { data: { depth: number } }).data.depth);
    expect(Math.max(...depths)).toBe(2);
  });

  it('joins an actor by name and returns its value', async () => {
    const r = await simulate(async (world) => {
      void world.spawn('worker', async (w) => {
        await w.sleep(50);
        return 42;
      });
      return world.join<number>('worker');
    });
    expect([r.value, r.virtualTimeMs]).toEqual([42, 50]);
  });

  it('ends a run that stops declaring progress as livelock', async () => {
    const r = await simulate(
      async (world) => {
        world.progress('start');
        // Two agents politely yield to each other forever.
        await Promise.all(
          ['left', 'right'].map((name) =>
            world.spawn(name, async (w) => {
              for (;;) await w.sleep(1);
            }),
          ),
        );
      },
      { limits: { stallSteps: 300 } },
    );
    expect(r.outcome).toBe('livelock');
    expect(r.message).toContain('went 300 steps without declaring progress');
  });
});
