// A refund agent as a team writes it: the official openai client in a tool-calling loop. The naive
// agent lets a failing tool take the answer down; the hardened one tells the model and answers.

import { defineTool, rules, type World } from 'faultline';
import OpenAI from 'openai';
import { z } from 'zod';

export const tools = [
  defineTool({
    name: 'search_orders',
    description: 'Finds an order and its refund status',
    input: z.object({ orderId: z.string() }),
    handler: ({ orderId }) => ({ orderId, refund: 'approved', amount: 42.5 }),
  }),
];

export const model = rules((conversation) => {
  const last = conversation.messages.at(-1);
  if (last?.role !== 'tool') return { toolCalls: [{ name: 'search_orders', arguments: { orderId: 'A-17' } }] };
  if (last.content.startsWith('ERROR')) return 'I could not check your refund right now. Please try again later.';
  const found = JSON.parse(last.content) as { refund: string; amount: number };
  return `Your refund of $${found.amount} was ${found.refund}.`;
});

async function converse(world: World, onToolError: 'throw' | 'report'): Promise<string> {
  const client = new OpenAI({ apiKey: 'sk-consumer-secret-0001', fetch: world.fetch, timeout: 20_000 });
  const tools = world.tools
    .list()
    .map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description ?? '', parameters: t.parameters } }));
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Was the refund for order A-17 approved?' }];
  for (let turn = 0; turn < 4; turn++) {
    const reply = (await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools })).choices[0]?.message;
    if (reply === undefined) throw new Error('no answer');
    if (reply.tool_calls === undefined || reply.tool_calls.length === 0) return reply.content ?? '';
    messages.push(reply);
    for (const call of reply.tool_calls) {
      if (call.type !== 'function') continue;
      let content: string;
      try {
        content = JSON.stringify(await world.tools.call(call.function.name, JSON.parse(call.function.arguments)));
      } catch (error) {
        if (onToolError === 'throw') throw error;
        content = `ERROR: ${(error as Error).message}`;
      }
      messages.push({ role: 'tool', tool_call_id: call.id, content });
    }
  }
  return 'I could not finish checking your refund.';
}

export const naive = (world: World) => converse(world, 'throw');

export const hardened = async (world: World) => {
  try {
    return await converse(world, 'report');
  } catch {
    return 'I could not check your refund right now: the assistant is unavailable. Please try again later.';
  }
};
