// Providers benchmark: the same tool-using agent (ask, run the weather tool the model calls, send
// the result back, answer: two model calls and one tool call per run) on each provider's official
// client and on the Vercel AI SDK, against the same simulated brain. The baseline is the agent on
// world.llm (no HTTP), measured in the same run; the ratio is what each wire format and client cost.
// The agents are the provider tests' own (test/adapters/*Agent.ts), so the bench runs what is tested.
import { createAzure } from '@ai-sdk/azure';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import OpenAI, { AzureOpenAI } from 'openai';
import { type Message, simulate, type World } from '../harness/index.ts';
import { aiSdkAgent } from '../test/adapters/aiSdkAgent.ts';
import { weatherAgent as anthropicAgent, MODEL as CLAUDE, weatherBrain as claudeBrain, weather as claudeWeather } from '../test/adapters/anthropicAgent.ts';
import { bedrockAgent, CLAUDE_ON_BEDROCK } from '../test/adapters/bedrockAgent.ts';
import { GEMINI, geminiAgent } from '../test/adapters/geminiAgent.ts';
import { openaiClientAgent } from '../test/adapters/openaiClientAgent.ts';
import { MODEL, QUESTION, weather, weatherBrain } from '../test/adapters/openaiFixtures.ts';
import { formatNumber, measure, table } from './measure.ts';

const models = { [MODEL]: weatherBrain, [GEMINI]: weatherBrain, [CLAUDE_ON_BEDROCK]: weatherBrain };

async function direct(world: World): Promise<string> {
  const all: Message[] = [{ role: 'user', content: QUESTION }];
  for (;;) {
    const reply = await world.llm.complete({ model: MODEL, messages: all, tools: world.tools.list() });
    if (reply.toolCalls.length === 0) return reply.text;
    all.push({ role: 'assistant', content: reply.text, toolCalls: reply.toolCalls });
    for (const call of reply.toolCalls)
      all.push({ role: 'tool', toolCallId: call.id, content: JSON.stringify(await world.tools.call(call.name, call.arguments)) });
  }
}

const azure = (world: World) =>
  new AzureOpenAI({ endpoint: 'https://contoso.openai.azure.com', apiKey: 'azure-key', apiVersion: '2024-10-21', deployment: MODEL, fetch: world.fetch });

interface Variant {
  readonly name: string;
  readonly agent: (world: World) => Promise<unknown>;
  readonly global?: boolean;
  readonly anthropic?: boolean;
}

const variants: Variant[] = [
  { name: 'openai (Chat Completions) over world.fetch', agent: openaiClientAgent((w) => new OpenAI({ apiKey: 'sim', fetch: w.fetch }), 'create') },
  { name: '@anthropic-ai/sdk (Messages) over world.fetch', agent: anthropicAgent('create'), anthropic: true },
  { name: 'AzureOpenAI over world.fetch', agent: openaiClientAgent(azure, 'create') },
  { name: '@google/genai, global mode', agent: geminiAgent(false), global: true },
  { name: '@aws-sdk/client-bedrock-runtime (Converse, HTTP/2), global mode', agent: bedrockAgent(false), global: true },
  { name: 'AI SDK + @ai-sdk/openai', agent: aiSdkAgent((w) => createOpenAI({ apiKey: 'sim', fetch: w.fetch }).chat(MODEL), 'generate') },
  { name: 'AI SDK + @ai-sdk/azure', agent: aiSdkAgent((w) => createAzure({ resourceName: 'contoso', apiKey: 'k', fetch: w.fetch }).chat(MODEL), 'generate') },
  { name: 'AI SDK + @ai-sdk/google', agent: aiSdkAgent((w) => createGoogleGenerativeAI({ apiKey: 'AIza-sim', fetch: w.fetch })(GEMINI), 'generate') },
];

function options(seed: number, variant?: Variant) {
  if (variant?.anthropic === true) return { seed, tools: [claudeWeather], llm: { models: { [CLAUDE]: claudeBrain() } } };
  return { seed, tools: [weather], llm: { models }, ...(variant?.global === true ? { network: 'global' as const } : {}) };
}

export async function providersBench(): Promise<string> {
  const baseline = await measure('world.llm (direct, no HTTP)', (i) => simulate(direct, options(i)), { opsPerRound: 500 });
  const rows = [[baseline.name, formatNumber(baseline.perSecond), formatNumber(baseline.microsEach), '1×']];
  for (const v of variants) {
    const check = await simulate(v.agent, options(1, v));
    if (check.outcome !== 'ok') throw new Error(`bench variant "${v.name}" does not run: ${check.message}`);
    const m = await measure(v.name, (i) => simulate(v.agent, options(i, v)), { opsPerRound: 100, warmup: 50 });
    rows.push([m.name, formatNumber(m.perSecond), formatNumber(m.microsEach), `${formatNumber(m.microsEach / baseline.microsEach)}×`]);
  }
  return (
    '### Providers: the same tool-using agent on each provider (two model calls, one tool call per run)\n\n' +
    table(['client', 'runs/s', 'µs/run', 'cost vs direct'], rows) +
    '\n\nEach client is checked to finish its run before it is timed. Global mode patches the global fetch, node:http(s) and node:http2 for the run.'
  );
}
