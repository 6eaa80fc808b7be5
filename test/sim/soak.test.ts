// Goal: a run is a pure function of its seed even over many mixed runs that do real I/O while the
// CPU is under stress, and a thousand runs leave the process as they found it. Method: 200 seeds ×
// 5 runs of an agent whose steps (world calls, actors, timers, randomness, file reads, crypto and
// compression jobs, and now and then a worker thread or a child process) are drawn from its seed,
// with a thread spinning on the CPU throughout; then one trace hash per seed, other seeds other
// traces, and the globals and Node's active handles and requests compared with before.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import timers from 'node:timers';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';
import { HttpResponse, http as mswHttp } from 'msw';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, rules, simulate, type World } from '../../harness/index.ts';

const SEEDS = 200;
const RUNS_PER_SEED = 5;
const self = new URL(import.meta.url).pathname;

const world = {
  handlers: [mswHttp.get('https://svc.test/n', () => HttpResponse.json({ n: 1 }))],
  tools: [defineTool({ name: 'echo', description: 'x', input: z.object({ v: z.number() }), handler: ({ v }) => ({ v }) })],
  llm: { models: { 'gpt-4o-mini': rules((c) => `echo ${String(c.messages.at(-1)?.content).length}`) } },
  limits: { wallClockMs: 60_000 },
};

type Step = (w: World, acc: number) => Promise<number>;
const steps: Record<string, Step> = {
  fetch: async (w, acc) => acc + ((await (await w.fetch('https://svc.test/n')).json()) as { n: number }).n,
  sleep: async (w, acc) => (await w.sleep(w.random('soak').int(0, 500)), acc + 1),
  spawn: async (w, acc) => {
    void w.spawn('helper', async (x) => {
      await x.sleep(x.random('soak').int(0, 300));
      await x.stores.kv('kv').set('helper', x.now());
    });
    return acc + 1;
  },
  store: async (w, acc) => {
    await w.stores.kv('kv').set(`k${acc % 3}`, acc);
    return acc + Number((await w.stores.kv('kv').get(`k${acc % 3}`)) ?? 0);
  },
  tool: async (w, acc) => acc + ((await w.tools.call<{ v: number }>('echo', { v: acc }).catch(() => ({ v: -1 }))) as { v: number }).v,
  llm: async (w, acc) => acc + (await w.llm.complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `n=${acc}` }] })).text.length,
  timer: async (_w, acc) => (await new Promise((resolve) => setTimeout(resolve, 50)), acc + 1),
  random: async (_w, acc) => acc + Math.floor(Math.random() * 10) + crypto.randomUUID().length,
  file: async (_w, acc) => acc + (await fs.promises.readFile(self)).length,
  digest: async (_w, acc) => acc + (new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array([acc & 255])))[0] ?? 0),
  gzip: async (_w, acc) =>
    acc + (await new Promise<Buffer>((resolve, reject) => zlib.gzip(Buffer.alloc(acc % 1000), (e, b) => (e ? reject(e) : resolve(b))))).length,
};
const rare: Record<string, Step> = {
  worker: async (_w, acc) =>
    new Promise((resolve) => {
      const worker = new Worker('require("node:worker_threads").parentPort.postMessage(1)', { eval: true });
      worker.once('message', (n: number) => void worker.terminate().then(() => resolve(acc + n)));
    }),
  child: async (_w, acc) => new Promise((resolve) => execFile(process.execPath, ['-e', 'process.stdout.write("7")'], (_e, out) => resolve(acc + Number(out)))),
};

async function mixed(w: World): Promise<number> {
  const r = w.random('plan');
  let acc = 0;
  for (let i = r.int(3, 10); i > 0; i--) {
    const pool = r.bool(0.03) ? rare : steps;
    acc = await (pool[r.pick(Object.keys(pool))] as Step)(w, acc);
  }
  if (r.bool(0.1)) throw new Error(`gave up at ${acc}`);
  return acc;
}

const faultsFor = (seed: number) =>
  seed % 4 === 0
    ? [{ target: 'tool:echo', kind: 'error' as const, when: { probability: 0.5 } }]
    : seed % 4 === 1
      ? [{ target: 'http:svc.test', kind: 'latency' as const, params: { latency: { kind: 'uniform' as const, minMs: 10, maxMs: 900 } } }]
      : seed % 4 === 2
        ? [{ target: 'store:kv', kind: 'lost-ack' as const, when: { probability: 0.3 } }]
        : [];

function globalsSnapshot(): Record<string, unknown> {
  return {
    setTimeout: globalThis.setTimeout,
    setInterval: globalThis.setInterval,
    setImmediate: globalThis.setImmediate,
    queueMicrotask: globalThis.queueMicrotask,
    nextTick: process.nextTick,
    Date: globalThis.Date,
    performance: globalThis.performance,
    hrtime: process.hrtime,
    uptime: process.uptime,
    random: Math.random,
    fetch: globalThis.fetch,
    getRandomValues: globalThis.crypto.getRandomValues,
    cryptoOwn: Object.getOwnPropertyNames(globalThis.crypto).join(','),
    subtleGenerateKey: Object.getPrototypeOf(globalThis.crypto.subtle).generateKey,
    abortTimeout: AbortSignal.timeout,
    freeze: Object.freeze,
    httpRequest: http.request,
    listen: net.Server.prototype.listen,
    connect: net.Socket.prototype.connect,
    timersSetTimeout: timers.setTimeout,
    intlFormat: Object.getOwnPropertyDescriptor(Intl.DateTimeFormat.prototype, 'format')?.get,
  };
}

type Internals = { _getActiveHandles(): unknown[]; _getActiveRequests(): unknown[] };
const resources = () => ({
  handles: (process as unknown as Internals)._getActiveHandles().length,
  requests: (process as unknown as Internals)._getActiveRequests().length,
});

describe('soak', () => {
  it(`${SEEDS * RUNS_PER_SEED} mixed runs with real I/O under CPU stress: one hash per seed, nothing left behind`, async () => {
    await simulate(async () => 0); // the watchdog's thread, started once per process, is not a leak
    const globalsBefore = globalsSnapshot();
    const before = resources();
    const stress = [new Worker('for (;;) {}', { eval: true })];
    const hashes = new Map<number, Set<string>>();
    const outcomes = new Map<string, number>();
    try {
      for (let round = 0; round < RUNS_PER_SEED; round++) {
        for (let seed = 0; seed < SEEDS; seed++) {
          const r = await simulate(mixed, { ...world, seed, faults: faultsFor(seed) });
          if (!hashes.has(seed)) hashes.set(seed, new Set());
          hashes.get(seed)?.add(r.traceHash);
          outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
        }
      }
    } finally {
      await Promise.all(stress.map((s) => s.terminate()));
    }
    console.log(`soak: ${SEEDS * RUNS_PER_SEED} runs, outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
    const diverged = [...hashes].filter(([, set]) => set.size !== 1).map(([seed]) => seed);
    expect(diverged).toEqual([]);
    expect(new Set([...hashes.values()].map((set) => [...set][0])).size).toBeGreaterThan(SEEDS * 0.9);
    expect(outcomes.get('timeout') ?? 0).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(globalsSnapshot()).toEqual(globalsBefore);
    expect(resources()).toEqual(before);
  }, 600_000);
});
