// Scenario 12: race conditions that look like hallucinations. Three ticket agents adjust one
// customer's loyalty points concurrently; the scheduler (random and PCT interleavings) decides
// whether two read-modify-writes overlap. A lost update reaches the customer as a wrong balance.
import { defineScenario, linearizable, noLostUpdates, type Property, property } from '../../harness/index.ts';
import { hardened, naive } from './agents.ts';
import { type Desk, type DeskAnswer, deskBrain, deskWorkload, MODEL } from './desk.ts';

/** The balance the customer is told is the opening balance plus every ticket's adjustment. */
export function balanceAddsUp(): Property {
  return property('balanceAddsUp', "The balance told to the customer includes every ticket's adjustment.", (r, { input }) => {
    const desk = input as Desk | undefined;
    const answer = r.value as DeskAnswer | undefined;
    if (r.outcome !== 'ok' || desk === undefined || answer === undefined) return undefined;
    const expected = desk.tickets.reduce((sum, t) => sum + t.delta, desk.customer.points);
    if (answer.balance === expected) return undefined;
    const deltas = desk.tickets.map((t) => (t.delta >= 0 ? `+${t.delta}` : `${t.delta}`)).join(', ');
    return {
      message:
        `${desk.customer.name} was told ${JSON.stringify(answer.reply)} at t=${r.virtualTimeMs}ms, but the opening ${desk.customer.points} points ` +
        `and the adjustments (${deltas}) make ${expected}: an update was lost, and the answer reads like a hallucination.`,
    };
  });
}

export const scenario = defineScenario<Desk, DeskAnswer>({
  name: '12-race-conditions',
  failureMode: 'Race conditions that look like hallucinations',
  description:
    "Three support agents work tickets for one customer at once, each applying the model's points adjustment to the shared record. " +
    'Interleavings chosen by the seed decide whether two read-modify-writes overlap; the customer is then told a balance that looks made up.',
  world: {
    llm: { models: { [MODEL]: deskBrain }, timing: { firstTokenMs: { kind: 'fixed', ms: 300 }, perTokenMs: 0 } },
    latency: { kind: 'fixed', ms: 20 },
    // Store calls take no virtual time, so every interleaving of the agents is the strategy's choice.
    storeLatency: { kind: 'fixed', ms: 0 },
  },
  faults: [],
  schedules: ['random', 'pct'],
  input: deskWorkload,
  agents: { naive, hardened },
  expectations: { naive: 'fail', hardened: 'pass' },
  properties: [noLostUpdates(), linearizable(), balanceAddsUp()],
});
