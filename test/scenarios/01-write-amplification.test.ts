// Goal: the write-amplification scenario catches a memory writer that fans one "remember this" out
// to six stores in order with blind retries, and passes one that writes through an outbox with
// idempotency keys. Method: checkScenario from five base seeds against the naive agent (each must
// fail within 200 runs and shrink to at most two rules), 500 runs of the hardened agent, single
// runs under hand-written plans that show each mechanism, and same-seed runs compared by trace hash.
import { describe, expect, it } from 'vitest';
import { type FaultRuleInput, runCase } from '../../harness/index.ts';
import { scenario } from '../../scenarios/01-write-amplification/scenario.ts';
import { itCatchesTheNaiveAgent, itPassesTheHardenedAgent, itReplaysTheSameTrace } from './expectations.ts';

const naive = scenario.agents?.naive as typeof scenario.agent;
const hardened = scenario.agents?.hardened as typeof scenario.agent;
const run = (agent: typeof scenario.agent, plan: readonly FaultRuleInput[], runSeed = 7) =>
  runCase(scenario, agent, { runSeed, plan, schedule: { kind: 'fifo' } });
const failed = (r: Awaited<ReturnType<typeof run>>) => r.verdicts.filter((v) => !v.ok).map((v) => `${v.property}: ${v.message}`);

describe('01-write-amplification', () => {
  itCatchesTheNaiveAgent(scenario, 'catches the naive writer from every base seed, with a small plan');

  itPassesTheHardenedAgent(scenario, 'passes the outbox writer for 500 runs');

  it('keeps every property on the happy path, with either writer', async () => {
    for (const agent of [naive, hardened]) {
      const r = await run(agent, []);
      expect(r.result.outcome).toBe('ok');
      expect(failed(r)).toEqual([]);
      expect(r.result.value).toEqual(['Noted, I will remember that.', 'Noted, I will remember that.']);
    }
  });

  it('leaves the stores split when the naive writer crashes between two writes; the outbox lets the heal phase finish the job', async () => {
    // Writes 0-2 are the first memory's vector, db and cache copies; the process dies after the third.
    const crash = [{ target: 'store:*', kind: 'crash', when: { calls: [2] } }] as const;
    const split = await run(naive, crash);
    expect(split.result.outcome).toBe('crashed');
    expect(failed(split)).toEqual([
      expect.stringMatching(/^eventuallyConverges: pref:[\w-]+ has not converged: vector, db and cache hold version 1, but events lacks it/),
    ]);
    const healed = await run(hardened, crash);
    expect(healed.result.outcome).toBe('crashed');
    expect(healed.result.heal?.value).toBe(1);
    expect(failed(healed)).toEqual([]);
  });

  it('appends a second event when the naive writer retries a write whose acknowledgement was lost; idempotency keys prevent it', async () => {
    // Write 3 is the first memory's event-log append: it lands, its ack does not.
    const lostAck = [{ target: 'store:*', kind: 'lost-ack', when: { calls: [3] } }] as const;
    expect(failed(await run(naive, lostAck))).toEqual([
      expect.stringMatching(
        /^noDuplicateAppends: Store events holds .* twice, appended at t=\d+ms and t=\d+ms: a retry \(op \d+\) of op \d+ that carried no idempotency key\.$/,
      ),
    ]);
    expect(failed(await run(hardened, lostAck))).toEqual([]);
  });

  itReplaysTheSameTrace(scenario, 'gives the same trace for the same seed, for each writer');
});
