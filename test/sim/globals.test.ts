// Goal: a run always gives back every global it took over, whichever way it ended. Method: a
// fast-check property over generated agents (sleeps, fetches, actors, timers, randomness, and an
// ending that returns, throws, hangs, loops, overruns or calls the real network).
import crypto, { randomUUID as importedRandomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import timers from 'node:timers';
import timersPromises from 'node:timers/promises';
import fc from 'fast-check';
import { HttpResponse, http as mswHttp } from 'msw';
import { describe, expect, it } from 'vitest';
import { type Outcome, simulate, type World } from '../../harness/index.ts';

function snapshotGlobals(): Record<string, unknown> {
  return {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
    setImmediate: globalThis.setImmediate,
    clearImmediate: globalThis.clearImmediate,
    Date: globalThis.Date,
    performance: Object.getOwnPropertyDescriptor(globalThis, 'performance'),
    performanceNow: globalThis.performance.now,
    hrtime: process.hrtime,
    mathRandom: Math.random,
    abortSignalTimeout: AbortSignal.timeout,
    fetch: globalThis.fetch,
    webcryptoOwn: Object.getOwnPropertyNames(globalThis.crypto).sort().join(','),
    getRandomValues: globalThis.crypto.getRandomValues,
    httpRequest: http.request,
    httpGet: http.get,
    httpsRequest: https.request,
    socketConnect: net.Socket.prototype.connect,
    timersSetTimeout: timers.setTimeout,
    timersPromisesSetTimeout: timersPromises.setTimeout,
  };
}

type Step = { op: 'sleep'; ms: number } | { op: 'fetch' } | { op: 'spawn'; ms: number } | { op: 'random' } | { op: 'timer'; ms: number };
type End = 'return' | 'throw' | 'hang' | 'loop' | 'overrun' | 'realFetch';

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('sleep' as const), ms: fc.integer({ min: 0, max: 500 }) }),
  fc.record({ op: fc.constant('fetch' as const) }),
  fc.record({ op: fc.constant('spawn' as const), ms: fc.integer({ min: 0, max: 500 }) }),
  fc.record({ op: fc.constant('random' as const) }),
  fc.record({ op: fc.constant('timer' as const), ms: fc.integer({ min: 1, max: 500 }) }),
);
const endArb = fc.constantFrom<End>('return', 'throw', 'hang', 'loop', 'overrun', 'realFetch');

function agentOf(steps: readonly Step[], end: End) {
  return async (world: World): Promise<number> => {
    let acc = 0;
    for (const step of steps) {
      if (step.op === 'sleep') await world.sleep(step.ms);
      else if (step.op === 'fetch') acc += ((await (await world.fetch('https://svc.test/n')).json()) as { n: number }).n;
      else if (step.op === 'spawn') void world.spawn('w', (w) => w.sleep(step.ms));
      else if (step.op === 'random') acc += Math.random() + Date.now() + crypto.randomUUID().length;
      else setTimeout(() => undefined, step.ms);
    }
    if (end === 'throw') throw new Error('agent failed');
    if (end === 'hang') await new Promise(() => undefined);
    if (end === 'loop') for (;;) await world.sleep(0);
    if (end === 'overrun') await world.sleep(60_000);
    if (end === 'realFetch') await fetch('https://example.com/');
    return acc;
  };
}

const handlers = [mswHttp.get('https://svc.test/n', () => HttpResponse.json({ n: 1 }))];
const limits = { virtualTimeMs: 30_000, steps: 400 };

describe('globals are restored', () => {
  it('after every generated agent, whatever the outcome', async () => {
    const before = snapshotGlobals();
    const seen = new Set<Outcome>();
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 6 }), endArb, fc.integer(), async (steps, end, seed) => {
        const r = await simulate(agentOf(steps, end), { seed, handlers, limits });
        seen.add(r.outcome);
        expect(snapshotGlobals()).toEqual(before);
      }),
      { seed: 20261126, numRuns: 150 },
    );
    expect([...seen].sort()).toEqual(['deadlock', 'livelock', 'ok', 'threw', 'timeout']);
  });

  it('and the same generated agent gives the same trace from the same seed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { maxLength: 6 }), endArb, fc.integer(), async (steps, end, seed) => {
        const a = await simulate(agentOf(steps, end), { seed, handlers, limits });
        const b = await simulate(agentOf(steps, end), { seed, handlers, limits });
        expect(b.traceHash).toBe(a.traceHash);
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it('while seeding Math.random, crypto and Date inside the run only', async () => {
    const draw = async (seed: number) =>
      (
        await simulate(async () => [Math.random(), crypto.randomUUID(), globalThis.crypto.randomUUID(), new Date().toISOString()], {
          seed,
        })
      ).value;
    const a = await draw(1);
    expect(await draw(1)).toEqual(a);
    expect(await draw(2)).not.toEqual(a);
    expect(a?.[3]).toBe('2025-01-01T00:00:00.000Z');
    expect(new Date().getFullYear()).toBeGreaterThanOrEqual(2026);
  });

  it("leaves node:crypto's bridged functions drawing real randomness outside runs", async () => {
    const inside = (await simulate(async () => [importedRandomUUID(), crypto.randomBytes(8).toString('hex')], { seed: 1 })).value;
    const again = (await simulate(async () => [importedRandomUUID(), crypto.randomBytes(8).toString('hex')], { seed: 1 })).value;
    expect(again).toEqual(inside);
    const outside = [importedRandomUUID(), crypto.randomBytes(8).toString('hex')];
    expect(outside).not.toEqual(inside);
    expect(importedRandomUUID()).not.toBe(outside[0]);
    expect(crypto.randomBytes(8).toString('hex')).not.toBe(outside[1]);
  });
});
