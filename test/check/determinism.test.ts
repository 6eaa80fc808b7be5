// Goal: the determinism check sees every difference between two executions of one case that an
// agent could observe or produce: content (prompts, replies, bodies, tool results, stored values),
// the run's value and the properties' verdicts; and its failure replays as one. Method: agents
// that keep state between runs so that only one of these changes, checked with determinism on.
import crypto from 'node:crypto';
import { HttpResponse, http } from 'msw';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkScenario, defineTool, property, rules, type Scenario, simulate, type World } from '../../harness/index.ts';

const said = property('saysYes', 'the agent said yes', (r) => (r.value === 'yes' ? undefined : { message: `said ${String(r.value)}` }));

describe('content is in the trace hash', () => {
  const model = rules((c) => (String(c.messages.at(-1)?.content).includes('even') ? 'yes' : 'no'));
  const tool = defineTool({ name: 'echo', description: 'x', input: z.object({ v: z.string() }), handler: ({ v }) => ({ v }) });
  const handlers = [http.post('https://svc.test/echo', async ({ request }) => HttpResponse.json({ got: await request.text() }))];
  const world = { llm: { models: { 'gpt-4o-mini': model } }, tools: [tool], handlers };
  const channels: Record<string, (w: World, v: string) => Promise<unknown>> = {
    'an SDK prompt and the reply': async (w, v) =>
      (
        await new OpenAI({ apiKey: 'sk-sim', fetch: w.fetch }).chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: `mode ${v}` }],
        })
      ).choices[0]?.message.content,
    'a direct LLM prompt': (w, v) => w.llm.complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `mode ${v}` }] }),
    'a request and response body': async (w, v) => (await w.fetch('https://svc.test/echo', { method: 'POST', body: v })).json(),
    'a streamed request body': async (w, v) => (await w.fetch('https://svc.test/echo', { method: 'POST', body: new Blob([v]) })).text(),
    'a tool argument and result': (w, v) => w.tools.call('echo', { v }),
    'a stored value': (w, v) => w.stores.kv('kv').set('k', v),
  };
  for (const [name, call] of Object.entries(channels)) {
    it(`sees ${name}`, async () => {
      const run = (v: string) => simulate((w) => call(w, v), { ...world, seed: 1 });
      const [even, odd, evenAgain] = [await run('even'), await run('oddd'), await run('even')];
      expect(even.outcome, even.message).toBe('ok');
      expect(odd.traceHash).not.toBe(even.traceHash);
      expect(evenAgain.traceHash).toBe(even.traceHash);
    });
  }
});

describe('checkScenario({ determinism: true })', () => {
  it('fails an agent whose state between runs changes only what it asks the model', async () => {
    let runs = 0;
    const scenario: Scenario<unknown, unknown> = {
      name: 'leaky prompt',
      world: { llm: { models: { 'gpt-4o-mini': rules((c) => (String(c.messages.at(-1)?.content).includes('even') ? 'yes' : 'no')) } } },
      agent: async (w) => {
        const mode = runs++ % 2 === 0 ? 'even' : 'odd!';
        return (await w.llm.complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `mode ${mode}` }] })).text;
      },
      properties: [said],
    };
    const report = await checkScenario(scenario, { runs: 3, seed: 1, determinism: true, replayCommand: (s, p, o) => `replay ${s} ${p} ${o.determinism}` });
    expect(report.ok).toBe(false);
    expect(report.counterexample?.failed.map((v) => v.property)).toContain('deterministic');
    expect(report.message).toMatch(/diverged at trace event #\d+/);
    expect(report.replay).toMatch(/ true$/);
  });

  it('fails an agent whose value, not its trace, depends on state kept between runs', async () => {
    let calls = 0;
    const scenario: Scenario<unknown, unknown> = {
      name: 'leaky value',
      agent: async (w) => {
        await w.sleep(10);
        return ++calls;
      },
      properties: [],
    };
    const report = await checkScenario(scenario, { runs: 2, seed: 3, determinism: true });
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/returned different values with equal traces/);
  });

  it('fails a property whose verdict depends on something the run does not determine', async () => {
    let n = 0;
    const flaky = property('flaky', 'x', () => (n++ % 2 === 0 ? undefined : { message: 'odd call' }));
    const report = await checkScenario(
      { name: 'leaky verdict', agent: async (w: World) => w.sleep(1), properties: [flaky] },
      { runs: 2, seed: 3, determinism: true },
    );
    expect(report.ok).toBe(false);
    expect(report.counterexample?.failed.map((v) => v.property)).toContain('deterministic');
    expect(report.message).toMatch(/different verdicts on flaky/);
  });

  it('names a random source the seed does not reach', async () => {
    const scenario: Scenario<unknown, unknown> = {
      name: 'rsa',
      world: { handlers: [http.post('https://svc.test/keys', () => HttpResponse.json({ ok: true }))] },
      agent: async (w) => {
        const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 512 });
        await w.fetch('https://svc.test/keys', { method: 'POST', body: String(publicKey.export({ format: 'jwk' }).n) });
      },
      properties: [],
    };
    const report = await checkScenario(scenario, { runs: 1, seed: 1, determinism: true });
    expect(report.ok).toBe(false);
    expect(report.message).toContain('random sources the seed does not reach: crypto.generateKeyPair("rsa")');
  });

  it('passes an agent without state between runs, and other seeds still explore other values', async () => {
    const scenario: Scenario<unknown, unknown> = {
      name: 'clean',
      agent: async (w) => {
        await w.sleep(w.random('x').int(1, 100));
        return crypto.randomUUID();
      },
      properties: [],
    };
    const report = await checkScenario(scenario, { runs: 20, seed: 1, determinism: true });
    expect(report.ok, report.message).toBe(true);
    const values = new Set<unknown>();
    for (const seed of [1, 2, 3]) values.add((await simulate(() => crypto.randomUUID(), { seed })).value);
    expect(values.size).toBe(3);
  });
});
