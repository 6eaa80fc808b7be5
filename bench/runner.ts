// Property-runner benchmark: end-to-end checkScenario throughput and the time to find and shrink a
// failure, and for the racing-bank bug the same hunt driven by fast-check's own scheduler (which
// interleaves the agent's promises directly, with no simulated world), as the baseline.
import fc from 'fast-check';
import { checkScenario, noLostUpdates, type Scenario } from '../harness/index.ts';
import { wallClockMs } from '../harness/sim/runGlobals.ts';
import { bank } from '../test/demos/bank.ts';
import { hardenedRefundAgent, refundScenario } from '../test/fixtures/refundAgent.ts';
import { formatNumber, table } from './measure.ts';

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = wallClockMs();
  const value = await fn();
  return { value, ms: wallClockMs() - start };
}

const bankScenario: Scenario<undefined, number | undefined> = {
  name: 'bank race',
  world: { storeLatency: { kind: 'fixed', ms: 0 } },
  schedules: ['pct'],
  agent: bank(false),
  properties: [noLostUpdates()],
};

/** The same three depositors, their store calls interleaved by fast-check's scheduler. */
async function fastCheckBank(seed: number): Promise<{ runs: number; ms: number; found: boolean }> {
  let runs = 0;
  const start = wallClockMs();
  const result = await fc.check(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      runs++;
      const data = new Map<string, number>([['account', 100]]);
      const get = s.scheduleFunction(async (k: string) => data.get(k) ?? 0);
      const set = s.scheduleFunction(async (k: string, v: number) => void data.set(k, v));
      const worker = async (name: string, before: number) => {
        for (let i = 0; i < before; i++) await set(`${name}:${i}`, i);
        const balance = await get('account');
        await set('account', balance + 10);
        for (let i = before; i < 24; i++) await set(`${name}:${i}`, i);
      };
      const all = Promise.all([worker('alice', 0), worker('bob', 12), worker('carol', 24)]);
      await s.waitFor(all);
      return data.get('account') === 130;
    }),
    { seed, numRuns: 2_000 },
  );
  return { runs: result.failed ? runs - result.numShrinks : runs, ms: wallClockMs() - start, found: result.failed };
}

export async function runnerBench(): Promise<string> {
  const pass = await timed(() => checkScenario(refundScenario, { runs: 500, agent: hardenedRefundAgent }));
  const fail = await timed(() => checkScenario(refundScenario, { runs: 500 }));
  const rows = [
    ['refund agent (openai client, tools), hardened: 500 runs pass', formatNumber(500 / (pass.ms / 1000)), formatNumber(pass.ms)],
    [
      `refund agent, naive: found at run ${fail.value.firstFailureAt}, shrunk in ${fail.value.shrinkSteps} steps to ${fail.value.counterexample?.case.plan.length} rule`,
      '—',
      formatNumber(fail.ms),
    ],
  ];
  const seeds = [1, 2, 3, 4, 5];
  const ours: number[][] = [];
  const theirs: number[][] = [];
  for (const seed of seeds) {
    const r = await timed(() => checkScenario(bankScenario, { runs: 2_000, seed }));
    ours.push([r.value.firstFailureAt ?? Number.NaN, r.ms]);
    const f = await fastCheckBank(seed);
    theirs.push([f.found ? f.runs : Number.NaN, f.ms]);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const bankRows = [
    [
      'Faultline checkScenario, PCT, with schedule shrinking',
      formatNumber(median(ours.map((x) => x[0] as number))),
      formatNumber(median(ours.map((x) => x[1] as number))),
    ],
    [
      "fast-check's fc.scheduler (no schedule shrinking)",
      formatNumber(median(theirs.map((x) => x[0] as number))),
      formatNumber(median(theirs.map((x) => x[1] as number))),
    ],
  ];
  const oursRuns = median(ours.map((x) => x[0] as number));
  const theirRuns = median(theirs.map((x) => x[0] as number));
  return (
    '### Property runner\n\n' +
    table(['check', 'runs/s', 'ms total'], rows) +
    `\n\n#### Finding the racing-bank lost update (median over ${seeds.length} fast-check seeds, budget 2,000 runs)\n\n` +
    table(['driver', 'runs to first failure', 'ms to find and shrink'], bankRows) +
    `\n\nPCT needs ${formatNumber(theirRuns / oursRuns)}× fewer runs than fast-check's random interleaving of the same ` +
    'promises, though each Faultline run costs more (simulated stores, histories, traces, fault injection), and ' +
    'the time includes shrinking the interleaving to the turns the failure needs, which fc.scheduler does not do.'
  );
}
