// Goal: a bad rule in a scenario's fault space is reported by its index as the user wrote it, before
// any run, whichever subset of rules the runs would have switched on. Method: checkScenario over a
// space whose second rule is invalid.
import { describe, expect, it } from 'vitest';
import { checkScenario, noDeadlock, type Scenario } from '../../harness/index.ts';

describe('the fault space', () => {
  it('is validated whole, with the user’s own rule indices', async () => {
    const scenario = {
      name: 'bad space',
      world: {},
      faults: [
        { target: 'llm:*', kind: 'server-error' },
        { target: 'llm:*', kind: 'rate-limit', params: { retryAfterMs: -5 } },
      ],
      agent: async () => 'done',
      properties: [noDeadlock()],
    } as unknown as Scenario<undefined, string>;
    await expect(checkScenario(scenario, { runs: 5 })).rejects.toThrow(/scenario "bad space": faults\[1\]\.params\.retryAfterMs/);
  });
});
