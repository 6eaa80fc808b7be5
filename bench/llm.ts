// LLM benchmark: simulated tool-using agent runs per second through the official openai client over
// world.fetch (the full wire path: JSON bodies, HTTP objects, the SDK's own machinery), against the
// same agent calling the simulated model directly through world.llm (no HTTP at all). The ratio is
// what speaking the real wire format costs.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { z } from 'zod';
import { defineTool, type Message, rules, simulate, type World } from '../harness/index.ts';
import { formatNumber, measure, table } from './measure.ts';

const weather = defineTool({
  name: 'weather',
  description: 'Current weather for a city',
  input: z.object({ city: z.string() }),
  handler: ({ city }) => ({ city, tempC: 21, sunny: true }),
});

/** Calls the weather tool once, then answers from its result. */
const brain = rules((conversation) => {
  const last = conversation.messages.at(-1);
  if (last?.role === 'tool') return `It is ${(JSON.parse(last.content) as { tempC: number }).tempC}°C.`;
  return { toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] };
});

/** The tool agent's simulate options for `seed` (the weather tool and both models). */
export const toolAgentOptions = (seed: number) => ({ seed, tools: [weather], llm: { models: { 'gpt-4o-mini': brain, 'claude-haiku-4-5': brain } } });

/** The tool agent through the official openai client over world.fetch. */
export async function viaOpenAI(world: World): Promise<string> {
  const client = new OpenAI({ apiKey: 'sim', fetch: world.fetch });
  const tools = world.tools
    .list()
    .map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description ?? '', parameters: t.parameters } }));
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
  for (;;) {
    const reply = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
    const message = reply.choices[0]?.message;
    if (message === undefined) throw new Error('no choice');
    if (message.tool_calls === undefined || message.tool_calls.length === 0) return message.content ?? '';
    messages.push(message);
    for (const call of message.tool_calls) {
      if (call.type !== 'function') continue;
      const result = await world.tools.call(call.function.name, JSON.parse(call.function.arguments));
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
    }
  }
}

async function viaAnthropic(world: World): Promise<string> {
  const client = new Anthropic({ apiKey: 'sim', fetch: world.fetch });
  const tools = world.tools.list().map((t) => ({ name: t.name, description: t.description ?? '', input_schema: t.parameters as Anthropic.Tool.InputSchema }));
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
  for (;;) {
    const reply = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 512, messages, tools });
    const calls = reply.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    if (calls.length === 0) return reply.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    messages.push({ role: 'assistant', content: reply.content });
    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const call of calls)
      results.push({ type: 'tool_result', tool_use_id: call.id, content: JSON.stringify(await world.tools.call(call.name, call.input)) });
    messages.push({ role: 'user', content: results });
  }
}

async function viaDirect(world: World): Promise<string> {
  const all: Message[] = [{ role: 'user', content: 'Weather in Paris?' }];
  for (;;) {
    const reply = await world.llm.complete({ model: 'gpt-4o-mini', messages: all, tools: world.tools.list() });
    if (reply.toolCalls.length === 0) return reply.text;
    all.push({ role: 'assistant', content: reply.text, toolCalls: reply.toolCalls });
    for (const call of reply.toolCalls)
      all.push({ role: 'tool', toolCallId: call.id, content: JSON.stringify(await world.tools.call(call.name, call.arguments)) });
  }
}

export async function llmBench(): Promise<string> {
  const direct = await measure('world.llm (direct, no HTTP)', (i) => simulate(viaDirect, toolAgentOptions(i)), { opsPerRound: 1_000 });
  const openai = await measure('openai client over world.fetch', (i) => simulate(viaOpenAI, toolAgentOptions(i)), { opsPerRound: 300 });
  const anthropic = await measure('@anthropic-ai/sdk over world.fetch', (i) => simulate(viaAnthropic, toolAgentOptions(i)), { opsPerRound: 300 });
  const rows = [direct, openai, anthropic].map((m) => [
    m.name,
    formatNumber(m.perSecond),
    formatNumber(m.microsEach),
    `${formatNumber(m.microsEach / direct.microsEach)}×`,
  ]);
  return (
    '### LLM: a tool-using agent (two model calls, one tool call per run)\n\n' +
    table(['variant', 'runs/s', 'µs/run', 'cost vs direct'], rows) +
    `\n\nSpeaking the wire format costs ${formatNumber(openai.microsEach / direct.microsEach)}× (openai) and ` +
    `${formatNumber(anthropic.microsEach / direct.microsEach)}× (anthropic) the direct call: the SDKs' request building, ` +
    'JSON bodies and Node 20 fetch objects, on top of the same brain, tokenizer, ledger and kernel work.'
  );
}
