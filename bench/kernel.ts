// Kernel benchmark: simulated runs per second of a 10-step agent (each step a fetch with network
// latency, then a sleep), against the same agent as a bare async loop (the floor: no simulation at
// all) and on real timers with the same latencies (what a test without Faultline has to do).
import { getResponse, HttpResponse, http } from 'msw';
import { Rng, route, simulate, type World } from '../harness/index.ts';
import { type LatencyModel, sampleLatency } from '../harness/sim/latency.ts';
import { withGlobalsHeld } from '../harness/sim/runGlobals.ts';
import { formatNumber, measure, table } from './measure.ts';

const STEPS = 10;

interface Effects {
  fetch(url: string): Promise<{ json(): Promise<unknown> }>;
  sleep(ms: number): Promise<void>;
}

/** The agent under measurement, written once against a minimal effects interface. */
async function tenSteps(fx: Effects, sleepMs: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < STEPS; i++) {
    const res = await fx.fetch(`https://svc.test/step/${i}`);
    sum += ((await res.json()) as { i: number }).i;
    await fx.sleep(sleepMs);
  }
  return sum;
}

const mswHandlers = [http.get('https://svc.test/step/:i', ({ params }) => HttpResponse.json({ i: Number(params.i) }))];
const leanHandlers = [
  http.get('https://svc.test/step/:i', ({ params }) => new Response(`{"i":${Number(params.i)}}`, { headers: { 'content-type': 'application/json' } })),
];

const routeHandlers = [
  route.get('https://svc.test/step/:i', ({ params }) => new Response(`{"i":${Number(params.i)}}`, { headers: { 'content-type': 'application/json' } })),
];

interface Workload {
  readonly name: string;
  readonly latency: LatencyModel;
  readonly sleepMs: number;
}

const workloads: Workload[] = [
  { name: 'service calls: 5–50 ms each way, 100 ms sleep', latency: { kind: 'uniform', minMs: 5, maxMs: 50 }, sleepMs: 100 },
  { name: 'LLM-like calls: 300–1,500 ms each way, 1 s sleep', latency: { kind: 'uniform', minMs: 300, maxMs: 1500 }, sleepMs: 1000 },
];

const worldEffects = (world: World): Effects => ({ fetch: (url) => world.fetch(url), sleep: (ms) => world.sleep(ms) });

/** The same agent on real timers: each half of each call waits its latency for real. */
async function realTimerRun(workload: Workload, seed: number): Promise<number> {
  const latency = new Rng(seed).stream('latency');
  const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const start = performance.now();
  await tenSteps(
    {
      fetch: async (url) => {
        await wait(sampleLatency(workload.latency, latency));
        const response = await getResponse(mswHandlers, new Request(url));
        await wait(sampleLatency(workload.latency, latency));
        return response as Response;
      },
      sleep: wait,
    },
    workload.sleepMs,
  );
  return performance.now() - start;
}

export async function kernelBench(): Promise<string> {
  const sections: string[] = [];
  const floor = await measure(
    'bare async loop (floor)',
    () => tenSteps({ fetch: async (url) => ({ json: async () => ({ i: url.length }) }), sleep: async () => undefined }, 0),
    { opsPerRound: 20_000 },
  );

  for (const workload of workloads) {
    let virtualMs = 0;
    const sim = (handlers: typeof mswHandlers) => async (i: number) => {
      const r = await simulate((world) => tenSteps(worldEffects(world), workload.sleepMs), {
        seed: i,
        handlers,
        latency: workload.latency,
      });
      virtualMs = r.virtualTimeMs;
      return r;
    };
    const withMsw = await measure('simulate, msw handler (HttpResponse.json)', sim(mswHandlers), { opsPerRound: 300 });
    const withLean = await measure('simulate, msw handler (new Response)', sim(leanHandlers), { opsPerRound: 300 });
    const withRoute = await measure('simulate, route (msw handler, fast lane)', sim(routeHandlers), { opsPerRound: 1_000 });
    const sleepsOnly = await measure(
      'simulate, sleeps only (no fetch)',
      (i) =>
        simulate((world) => tenSteps({ fetch: async () => ({ json: async () => ({ i: 0 }) }), sleep: (ms) => world.sleep(ms) }, workload.sleepMs), { seed: i }),
      { opsPerRound: 1_000 },
    );
    // A check's runs share one installation of the patched globals (harness/sim/runGlobals.ts,
    // GlobalsSession); a lone simulate() installs and removes them around its one run.
    const routeHeld = await withGlobalsHeld(() =>
      measure('simulate, route, runs sharing a globals session (as in a check)', sim(routeHandlers), { opsPerRound: 1_000 }),
    );
    const sleepsHeld = await withGlobalsHeld(() =>
      measure(
        'simulate, sleeps only, runs sharing a globals session',
        (i) =>
          simulate((world) => tenSteps({ fetch: async () => ({ json: async () => ({ i: 0 }) }), sleep: (ms) => world.sleep(ms) }, workload.sleepMs), {
            seed: i,
          }),
        { opsPerRound: 1_000 },
      ),
    );
    const mswAlone = await measure(
      'msw getResponse + body, 10 requests, no simulation',
      async () => {
        for (let s = 0; s < STEPS; s++) await (await getResponse(mswHandlers, new Request(`https://svc.test/step/${s}`)))?.json();
      },
      { opsPerRound: 300 },
    );
    // Real timers take the run's virtual time for real: measured on the short workload, and
    // taken as equal to the virtual time (a lower bound) on the long one, to keep the bench short.
    const realMs = workload.sleepMs <= 100 ? await realTimerRun(workload, 1) : virtualMs;
    const real = {
      name: workload.sleepMs <= 100 ? 'real timers, same latencies' : 'real timers (≥ virtual time, not run)',
      perSecond: 1000 / realMs,
      microsEach: realMs * 1000,
    };

    const rows = [floor, withMsw, withLean, withRoute, routeHeld, sleepsOnly, sleepsHeld, mswAlone, real].map((m) => [
      m.name,
      formatNumber(m.perSecond),
      formatNumber(m.microsEach),
      `${formatNumber(m.microsEach / floor.microsEach)}×`,
    ]);
    const ratio = (m: { microsEach: number }) => formatNumber(virtualMs / (m.microsEach / 1000));
    sections.push(
      `#### ${workload.name}\n\n` +
        table(['variant', 'runs/s', 'µs/run', 'cost vs floor'], rows) +
        `\n\nVirtual time per run: ${formatNumber(virtualMs)} ms. Virtual-to-real ratio: ` +
        `${ratio(withMsw)}× (msw HttpResponse.json), ${ratio(withLean)}× (lean msw handler), ` +
        `${ratio(withRoute)}× (route); against real timers the simulation is ` +
        `${formatNumber(real.microsEach / withMsw.microsEach)}× (msw) to ${formatNumber(real.microsEach / withRoute.microsEach)}× (route) faster.`,
    );
  }
  return `### Kernel: a 10-step agent (fetch with latency, then sleep)\n\n${sections.join('\n\n')}`;
}
