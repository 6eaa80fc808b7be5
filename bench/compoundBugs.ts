// Bugs that need a fault to hit many calls, or two faults together, or a fault and an interleaving:
// the detection benchmark's targets (bench/detection.ts) and its test's. Each is a scenario whose
// agent is wrong only under that combination, with a few unrelated rules in its fault space so a
// generator must find the combination among others.
import { z } from 'zod';
import { boundedSpend, defineTool, noDeadlock, property, rules, type Scenario, type World } from '../harness/index.ts';

const lookup = (name: string) =>
  defineTool({ name, description: `Looks an order up (${name})`, input: z.object({ id: z.string() }), handler: ({ id }) => ({ id, status: 'shipped' }) });
const work = defineTool({ name: 'work', description: 'Some work done while holding a lock', input: z.object({}), handler: () => 'done' });

/**
 * Two persistent faults: after three primary errors in a row the agent opens a breaker and uses the
 * backup from then on — with no fallback of its own, so two backup errors take the answer down.
 */
export const breakerAndBackup: Scenario<undefined, string> = {
  name: 'breaker and backup',
  world: { tools: [lookup('primary'), lookup('backup')] },
  faults: [
    { target: 'tool:primary', kind: 'error' },
    { target: 'tool:backup', kind: 'error' },
    { target: 'tool:primary', kind: 'latency', params: { latency: { kind: 'fixed', ms: 200 } } },
    { target: 'tool:backup', kind: 'latency', params: { latency: { kind: 'fixed', ms: 200 } } },
  ],
  agent: async (world: World) => {
    let consecutive = 0;
    let backupErrors = 0;
    const found: string[] = [];
    for (let i = 0; i < 8; i++) {
      if (consecutive < 3) {
        try {
          await world.tools.call('primary', { id: `o${i}` });
          consecutive = 0;
          found.push(`o${i}`);
          continue;
        } catch {
          consecutive += 1;
        }
      }
      try {
        await world.tools.call('backup', { id: `o${i}` });
        found.push(`o${i}`);
      } catch (error) {
        if (consecutive >= 3 && ++backupErrors >= 2) throw error;
      }
    }
    return `found ${found.length} of 8 orders${found.length < 8 ? '; some could not be looked up' : ''}`;
  },
  properties: [property('answers', 'The agent answered.', (r) => (r.outcome === 'ok' ? undefined : { message: `The agent did not answer: ${r.message}` }))],
};

/**
 * A fault and an interleaving: two workers increment a counter by read-then-write. Without store
 * latency the first finishes before the second starts; with it, the writes can cross — and whether
 * they do is the schedule's choice.
 */
export const racingCounter: Scenario<undefined, number> = {
  name: 'racing counter',
  world: {},
  schedules: ['fifo', 'random', 'pct'],
  faults: [
    { target: 'store:counter', kind: 'latency', params: { latency: { kind: 'uniform', minMs: 0, maxMs: 20 } } },
    { target: 'store:audit', kind: 'latency', params: { latency: { kind: 'fixed', ms: 50 } } },
    { target: 'store:counter', kind: 'error' },
  ],
  agent: async (world) => {
    const bump = (delayMs: number) => async (w: World) => {
      await w.sleep(delayMs);
      const counter = w.stores.kv('counter');
      const n = (await counter.get<number>('n').catch(() => 0)) ?? 0;
      await counter.set('n', n + 1).catch(() => undefined);
      await w.stores.eventLog('audit').append('bump', { from: n });
    };
    await Promise.all([world.spawn('a', bump(0)), world.spawn('b', bump(5))]);
    return (
      (await world.stores
        .kv('counter')
        .get<number>('n')
        .catch(() => undefined)) ?? 0
    );
  },
  properties: [
    property('noLostIncrement', 'Both increments reached the counter.', (r) =>
      r.outcome === 'ok' && r.value === 1 && !r.trace.some((e) => e.type === 'mark' && e.name === 'fault' && (e.data as { kind?: string })?.kind === 'error')
        ? { message: 'The counter is 1 after two increments: one was lost.' }
        : undefined,
    ),
  ],
};

/**
 * One fault on three calls: three actors each take their own lock, do some work, then take the
 * next actor's lock. Staggered starts keep them apart — unless the work is slow for all three.
 */
export const threeAgentCycle: Scenario<undefined, string> = {
  name: 'three-agent cycle',
  world: { tools: [work, lookup('status')] },
  faults: [
    { target: 'tool:work', kind: 'latency', params: { latency: { kind: 'fixed', ms: 40 } } },
    { target: 'tool:status', kind: 'error' },
    { target: 'tool:status', kind: 'latency', params: { latency: { kind: 'fixed', ms: 500 } } },
  ],
  agent: async (world) => {
    const actor = (i: number) => async (w: World) => {
      await w.sleep(i * 15);
      const first = await w.mutex(`m${i}`).lock();
      await w.tools.call('work', {});
      const second = await w.mutex(`m${(i + 1) % 3}`).lock();
      second();
      first();
    };
    await world.tools.call('status', { id: 'x' }).catch(() => undefined);
    await Promise.all([0, 1, 2].map((i) => world.spawn(`worker${i}`, actor(i))));
    return 'done';
  },
  properties: [noDeadlock()],
};

/**
 * Nested retries: the agent retries a turn (model, then tool) when the tool fails, and each turn
 * retries the model on a 5xx. A flaky model alone or a failing tool alone stays within budget; a
 * flaky model while the tool keeps failing multiplies the attempts past it.
 */
export const nestedRetries: Scenario<undefined, string> = {
  name: 'nested retries',
  world: { tools: [lookup('search')], llm: { models: { 'gpt-4o-mini': rules(() => ({ toolCalls: [{ name: 'search', arguments: { id: 'o1' } }] })) } } },
  faults: [
    { target: 'llm:*', kind: 'server-error', when: { probability: 0.5 } },
    { target: 'tool:search', kind: 'error' },
    { target: 'llm:*', kind: 'latency', params: { latency: { kind: 'fixed', ms: 300 } } },
  ],
  agent: async (world) => {
    const ask = async () => {
      for (let attempt = 0; attempt < 4; attempt++) {
        try {
          return await world.llm.complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Find order o1' }] });
        } catch {
          // a 5xx: ask again
        }
      }
      return undefined;
    };
    for (let turn = 0; turn < 3; turn++) {
      if ((await ask()) === undefined) return 'the assistant is unavailable; try again later';
      try {
        await world.tools.call('search', { id: 'o1' });
        return 'found o1';
      } catch {
        // the tool failed: try the whole turn again
      }
    }
    return 'could not find o1; try again later';
  },
  properties: [boundedSpend({ llmCalls: 5 })],
};

export const compoundBugs: ReadonlyArray<Scenario<undefined, unknown>> = [breakerAndBackup, racingCounter, threeAgentCycle, nestedRetries] as never;
