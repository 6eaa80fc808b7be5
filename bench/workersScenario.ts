// The 10-step agent of bench/kernel.ts (a fetch to a route with 5–50 ms simulated latency, then a
// 100 ms sleep, ten times) as a scenario module, so worker threads can load it by reference.
import { defineScenario, noDeadlock, route, type World } from '../harness/index.ts';

const handlers = [
  route.get('https://svc.test/step/:i', ({ params }) => new Response(`{"i":${Number(params.i)}}`, { headers: { 'content-type': 'application/json' } })),
];

async function tenSteps(world: World): Promise<number> {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const res = await world.fetch(`https://svc.test/step/${i}`);
    sum += ((await res.json()) as { i: number }).i;
    await world.sleep(100);
  }
  return sum;
}

export const scenario = defineScenario({
  name: 'bench: 10-step fetch+sleep',
  world: { handlers, latency: { kind: 'uniform', minMs: 5, maxMs: 50 } },
  agent: tenSteps,
  properties: [noDeadlock()],
});
