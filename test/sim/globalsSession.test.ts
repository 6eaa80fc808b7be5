// Goal: a check's runs share one installation of the patched globals (a globals session) without
// the runs or the process noticing: each run sees exactly what it saw alone (same traces), the
// harness's code between runs sees the real process (real Date, timers, randomness and network
// entry points), and when the last holder lets go every global is the original again.
// Method: compare trace hashes of runs made alone and inside a held session; observe the globals
// from agent code (inside runs) and from a scenario's workload function (between runs); snapshot
// the globals before and after checks, nested holds and a check that throws.
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../harness/check/checkScenario.ts';
import { defineScenario, noDeadlock, simulate, type World } from '../../harness/index.ts';
import { holdGlobals, withGlobalsHeld } from '../../harness/sim/runGlobals.ts';

function snapshot(): Record<string, unknown> {
  return {
    setTimeout: globalThis.setTimeout,
    setImmediate: globalThis.setImmediate,
    nextTick: process.nextTick,
    Date: globalThis.Date,
    performance: Object.getOwnPropertyDescriptor(globalThis, 'performance'),
    mathRandom: Math.random,
    getRandomValues: globalThis.crypto.getRandomValues,
    randomUUID: globalThis.crypto.randomUUID,
    abortSignalTimeout: AbortSignal.timeout,
    fetch: globalThis.fetch,
    httpRequest: http.request,
    socketConnect: net.Socket.prototype.connect,
    uptime: process.uptime,
    freeze: Object.freeze,
    mathOwn: Object.getOwnPropertyNames(Math).sort().join(','),
    cryptoOwn: Object.getOwnPropertyNames(globalThis.crypto).sort().join(','),
  };
}

/** An agent that observes the virtual clock, every seeded source and a counted setImmediate. */
async function observer(world: World): Promise<string> {
  const seen: unknown[] = [];
  for (let i = 0; i < 4; i++) {
    await world.sleep(10 + Math.floor(Math.random() * 100));
    await new Promise((resolve) => setImmediate(resolve));
    seen.push(Date.now(), Math.random(), crypto.randomUUID(), globalThis.crypto.randomUUID(), process.uptime());
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return JSON.stringify(seen);
}

describe('a globals session', () => {
  it('gives each run exactly what it gave that run alone, and other seeds other runs', async () => {
    const alone: string[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const r = await simulate(observer, { seed });
      alone.push(`${r.traceHash} ${r.value}`);
    }
    const held = await withGlobalsHeld(async () => {
      const seen: string[] = [];
      for (let seed = 1; seed <= 12; seed++) {
        const r = await simulate(observer, { seed });
        seen.push(`${r.traceHash} ${r.value}`);
      }
      return seen;
    });
    expect(held).toEqual(alone);
    expect(new Set(alone.map((a) => a.split(' ')[0])).size).toBe(12);
    expect(new Set(alone.map((a) => a.split(' ')[1])).size).toBe(12);
  });

  it('is installed once for all the runs of a check, and the globals are the originals after it', async () => {
    const before = snapshot();
    const identities = new Set<unknown>();
    const scenario = defineScenario({
      name: 'session: one installation',
      agents: {
        plain: async (world: World) => {
          identities.add(Math.random);
          identities.add(AbortSignal.timeout);
          await world.sleep(1);
          return 'done';
        },
      },
      properties: [noDeadlock()],
      runs: 10,
    });
    const report = await checkScenario(scenario, { agent: scenario.agents?.plain, runs: 10, runsFixed: true });
    expect(report.ok).toBe(true);
    expect(report.runs).toBe(10);
    // Two functions (Math.random's and AbortSignal.timeout's patches) for all ten runs: one installation.
    expect(identities.size).toBe(2);
    expect(identities.has(before.mathRandom)).toBe(false);
    expect(snapshot()).toEqual(before);
  });

  it('shows the harness the real process between runs', async () => {
    const RealDate = Date;
    const realSetTimeout = setTimeout;
    const between: Array<{ date: boolean; timers: boolean; uuid: string; random: number }> = [];
    const scenario = defineScenario({
      name: 'session: between runs',
      // The workload function runs between runs, in the harness's code.
      input: () => {
        between.push({ date: Date === RealDate, timers: setTimeout === realSetTimeout, uuid: crypto.randomUUID(), random: Math.random() });
        return 1;
      },
      agents: { plain: observer },
      properties: [noDeadlock()],
      runs: 6,
    });
    const first = await checkScenario(scenario, { agent: scenario.agents?.plain, runs: 6, runsFixed: true });
    expect(between.every((b) => b.date && b.timers)).toBe(true);
    // Real randomness between runs: every draw differs, and none is taken from a run's seeded streams.
    expect(new Set(between.map((b) => b.uuid)).size).toBe(between.length);
    const again = await checkScenario(scenario, { agent: scenario.agents?.plain, runs: 6, runsFixed: true });
    expect(again.ok).toBe(first.ok);
    expect(again.runs).toBe(first.runs);
    const draws = between.map((b) => b.random);
    expect(draws.slice(0, 6)).not.toEqual(draws.slice(6, 12));
  });

  it('lets a call made between runs reach the original (the real network guard is only for runs)', async () => {
    await withGlobalsHeld(async () => {
      // Outside a run the patched socket connect is the real one: it connects (and fails) as Node does.
      const socket = new net.Socket();
      const failure = await new Promise<string>((resolve) => {
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        socket.connect({ port: 1, host: '127.0.0.1' });
      });
      socket.destroy();
      expect(failure).not.toMatch(/Real network call blocked/);
      // Inside a run, the same entry point is blocked.
      const r = await simulate(async () => {
        const s = new net.Socket();
        return await new Promise<string>((resolve) => {
          s.once('error', (error) => resolve(error.message));
          s.connect({ port: 1, host: '127.0.0.1' });
        });
      });
      expect(r.value).toMatch(/Real network call blocked/);
    });
  });

  it("gives a run a performance object on the virtual clock, and leaves the real one's identity and methods", async () => {
    const realPerformance = globalThis.performance;
    const startTime = Date.UTC(2026, 0, 1);
    const r = await simulate(
      async (world: World) => {
        const t0 = performance.now();
        await world.sleep(250);
        const mark = performance.mark('after-sleep', { detail: { step: 1 } });
        return {
          same: globalThis.performance === realPerformance,
          isPerformance: performance instanceof Performance,
          elapsed: performance.now() - t0,
          timeOrigin: performance.timeOrigin,
          mark: { name: mark.name, startTime: mark.startTime, detail: mark.detail },
          entries: performance.getEntries().length,
          json: performance.toJSON().timeOrigin,
          timerify: typeof (performance as unknown as { timerify?: unknown }).timerify,
        };
      },
      { startTime },
    );
    expect(r.value).toEqual({
      same: true,
      isPerformance: true,
      elapsed: 250,
      timeOrigin: startTime,
      mark: { name: 'after-sleep', startTime: 250, detail: { step: 1 } },
      entries: 0,
      json: startTime,
      timerify: 'function',
    });
    // Between runs, the real clock and timeline.
    expect(performance.timeOrigin).not.toBe(startTime);
    performance.mark('real');
    expect(performance.getEntriesByName('real')).toHaveLength(1);
    performance.clearMarks('real');
  });

  it('closes only when its last holder lets go, even when a check throws', async () => {
    const before = snapshot();
    const outer = holdGlobals();
    const inner = holdGlobals();
    const during = Math.random;
    expect(during).not.toBe(before.mathRandom);
    inner();
    expect(Math.random).toBe(during);
    inner(); // a second release is a no-op
    expect(Math.random).toBe(during);
    outer();
    expect(snapshot()).toEqual(before);

    const throwing = defineScenario({
      name: 'session: a workload that throws',
      input: () => {
        throw new Error('workload broke');
      },
      agents: { plain: observer },
      properties: [noDeadlock()],
    });
    await expect(checkScenario(throwing, { agent: throwing.agents?.plain, runs: 2, runsFixed: true })).rejects.toThrow();
    expect(snapshot()).toEqual(before);
  });
});
