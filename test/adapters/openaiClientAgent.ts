// A tool-using agent on the official openai client, for any host that speaks its wire format
// (api.openai.com, Azure OpenAI through AzureOpenAI, an OpenAI-compatible baseURL): ask, run the
// weather tool the model calls, send the result back, until the model answers. Streamed, it reads
// the raw chunks and assembles the message itself, as agents that show tokens as they come do.
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionMessageToolCall, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { World } from '../../harness/index.ts';
import { INSTRUCTIONS, MODEL, QUESTION } from './openaiFixtures.ts';

export type Mode = 'create' | 'stream';

export interface Answer {
  readonly text: string;
  readonly finishReasons: string[];
  readonly models: string[];
}

const tools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: { name: 'weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  },
];

async function ask(client: OpenAI, mode: Mode, model: string, messages: ChatCompletionMessageParam[]) {
  if (mode === 'create') {
    const c = await client.chat.completions.create({ model, messages, tools });
    const choice = c.choices[0];
    return { model: c.model, finish: choice?.finish_reason ?? 'none', content: choice?.message.content ?? '', calls: choice?.message.tool_calls ?? [] };
  }
  const stream = await client.chat.completions.create({ model, messages, tools, stream: true });
  let content = '';
  let finish = 'none';
  let seenModel = '';
  const calls: ChatCompletionMessageToolCall[] = [];
  for await (const chunk of stream) {
    // Azure opens its streams with a chunk that has no choices (the prompt's filter results).
    const choice = chunk.choices[0];
    if (choice === undefined) continue;
    seenModel = chunk.model;
    content += choice.delta.content ?? '';
    for (const d of choice.delta.tool_calls ?? []) {
      const call = (calls[d.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
      if (d.id !== undefined) call.id = d.id;
      if (call.type === 'function') {
        call.function.name += d.function?.name ?? '';
        call.function.arguments += d.function?.arguments ?? '';
      }
    }
    finish = choice.finish_reason ?? finish;
  }
  return { model: seenModel, finish, content, calls };
}

/** The weather agent on `client(world)`, asking for `model`. */
export function openaiClientAgent(client: (world: World) => OpenAI, mode: Mode, model = MODEL) {
  return async (world: World): Promise<Answer> => {
    const c = client(world);
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: INSTRUCTIONS },
      { role: 'user', content: QUESTION },
    ];
    const answer: Answer = { text: '', finishReasons: [], models: [] };
    for (let turn = 0; turn < 4; turn++) {
      const reply = await ask(c, mode, model, messages);
      answer.finishReasons.push(reply.finish);
      answer.models.push(reply.model);
      if (reply.calls.length === 0) return { ...answer, text: reply.content };
      messages.push({ role: 'assistant', content: reply.content === '' ? null : reply.content, tool_calls: reply.calls });
      for (const call of reply.calls) {
        if (call.type !== 'function') continue;
        const result = await world.tools.call(call.function.name, JSON.parse(call.function.arguments));
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
      }
    }
    throw new Error('the model never answered');
  };
}
