// Matchers in a file that does not import faultline/vitest: setupFiles registered them.
import { noDeadlock, scripted, simulate } from 'faultline';
import { expect, it } from 'vitest';

it('toHaveOutcome and toKeep work through setupFiles alone', async () => {
  const result = await simulate(async (world) => (await world.llm.complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).text, {
    seed: 3,
    llm: { models: { 'gpt-4o-mini': scripted(['hello']) } },
  });
  expect(result).toHaveOutcome('ok');
  expect(result).toKeep(noDeadlock());
});
