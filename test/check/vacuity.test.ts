// Goal: a property that held because what it judges was never there does not make a green. Method:
// a custom property that reads a store by a misspelt name (the check fails, suggesting the store
// the runs had), noSilentCorruption over a fault space without a corrupt rule (reported vacuous),
// the same with a corrupt rule (judged), and the opt-in that turns the failure into a warning.
import { describe, expect, it } from 'vitest';
import { checkScenario, noDeadlock, noSilentCorruption, property, type Scenario, simulate } from '../../harness/index.ts';

const notifier: Scenario<undefined, string> = {
  name: 'notifier',
  world: {},
  faults: [{ target: 'store:sms_outbox', kind: 'latency', params: { latency: { kind: 'fixed', ms: 50 } } }],
  agent: async (world) => {
    await world.stores.eventLog('sms_outbox').append('sms', { to: 'P1', text: 'Your refill is ready' });
    return 'sent';
  },
  properties: [noDeadlock()],
};

const noWrongSms = (store: string) =>
  property(
    'noWrongSms',
    'No SMS names the wrong patient.',
    (r) => (JSON.stringify(r.stores[store] ?? {}).includes('"to":"P2"') ? { message: 'An SMS went to P2.' } : undefined),
    { requires: [`store:${store}`] },
  );

describe('vacuity', () => {
  it('marks a single run’s verdict vacuous when what the property reads is missing', async () => {
    const r = await simulate(notifier.agent as never, { seed: 1 });
    expect(noWrongSms('sms-outbox').check(r as never, {})).toMatchObject({ ok: true, vacuous: 'this run had no store:sms-outbox' });
    expect(noWrongSms('sms_outbox').check(r as never, {}).vacuous).toBeUndefined();
  });

  it('fails a check whose property reads a store no run produced, naming the nearest one', async () => {
    const report = await checkScenario({ ...notifier, properties: [noDeadlock(), noWrongSms('sms-outbox')] }, { runs: 20 });
    expect(report.ok).toBe(false);
    expect(report.counterexample).toBeUndefined();
    expect(report.vacuity.failing).toEqual(['noWrongSms']);
    expect(report.message).toContain('noWrongSms reads store "sms-outbox", which no run produced; did you mean `store:sms_outbox`?');
  });

  it('passes the same check when the property reads the store the agent writes', async () => {
    const report = await checkScenario({ ...notifier, properties: [noDeadlock(), noWrongSms('sms_outbox')] }, { runs: 20 });
    expect(report.ok, report.message).toBe(true);
    expect(report.vacuity.properties.find((p) => p.property === 'noWrongSms')).toMatchObject({ runs: 20, vacuous: 0, unseen: [] });
  });

  it('reports noSilentCorruption over a fault space with no corrupt rule as vacuous, and judges it when there is one', async () => {
    const lookup: Scenario<undefined, string> = {
      name: 'lookup',
      world: {},
      faults: [{ target: 'store:orders', kind: 'latency', params: { latency: { kind: 'fixed', ms: 5 } } }],
      agent: async (world) => {
        await world.stores.kv('orders').set('o1', { amount: 42 });
        return `amount ${(await world.stores.kv('orders').get<{ amount: number }>('o1'))?.amount}`;
      },
      properties: [noDeadlock(), noSilentCorruption()],
    };
    const vacuous = await checkScenario(lookup, { runs: 20 });
    expect(vacuous.ok).toBe(false);
    expect(vacuous.message).toContain('noSilentCorruption held vacuously in all 20 runs: no corrupt fault changed a fact.');
    const warned = await checkScenario(lookup, { runs: 20, vacuity: 'warn' });
    expect(warned.ok).toBe(true);
    expect(warned.message).toContain('(warning only: vacuity is "warn")');
  });

  it('counts vacuous runs the same way for the same seed', async () => {
    const a = await checkScenario({ ...notifier, properties: [noDeadlock(), noWrongSms('sms_outbox')] }, { runs: 15, seed: 9 });
    const b = await checkScenario({ ...notifier, properties: [noDeadlock(), noWrongSms('sms_outbox')] }, { runs: 15, seed: 9 });
    expect(b.vacuity).toEqual(a.vacuity);
  });
});
