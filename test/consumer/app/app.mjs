// A plain Node script, no TypeScript and no test runner: one simulated run through the openai client.

import { scripted, simulate } from 'faultline';
import OpenAI from 'openai';

const result = await simulate(
  async (world) => {
    const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 2 });
    const reply = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hi' }] });
    return reply.choices[0]?.message.content;
  },
  {
    seed: 7,
    llm: { models: { 'gpt-4o-mini': scripted(['hello from the simulated model']) } },
    faults: [{ target: 'llm:*', kind: 'server-error', when: { calls: [0] } }],
  },
);
console.log(
  JSON.stringify({ outcome: result.outcome, value: result.value, llmCalls: result.spend.calls, virtualMs: result.virtualTimeMs, traceHash: result.traceHash }),
);
if (result.outcome !== 'ok' || result.value !== 'hello from the simulated model') process.exit(1);
