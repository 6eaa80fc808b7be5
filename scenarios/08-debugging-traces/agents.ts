// A help-desk agent that answers with the openai SDK and a knowledge-base tool, and, on the side,
// keeps a memory of the conversation: a background actor condenses the question with a cheap model,
// stores it and logs that it did. The naive agent fires that work off and answers without waiting
// for it — usually the memory is written by then, but when the cheap model or the store is slow it
// is still running when the request ends, and the trace holds calls that never finished, by an actor
// nobody waited for (the run's record cannot say whether the memory was written). The hardened agent
// starts the same work concurrently and joins it before it answers, recording a failure if there was
// one. `cachingBetweenRuns` is a third variant that keeps a module-level cache of memories, so a
// second run of the same seed does less work than the first: it is not replayable.
import OpenAI from 'openai';
import type { World } from '../../harness/index.ts';
import { ANSWER_MODEL, MEMORY_MODEL, QUESTION, USER } from './world.ts';

/** Condenses the question with the cheap model, stores the memory and logs the write. */
async function remember(world: World, question: string): Promise<string> {
  const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 2, timeout: 20_000 });
  const completion = await client.chat.completions.create({ model: MEMORY_MODEL, messages: [{ role: 'user', content: question }], max_tokens: 60 });
  const memory = completion.choices[0]?.message.content ?? '';
  await world.stores.kv('memory').set(`${USER}:last-question`, memory);
  await world.stores.eventLog('events').append(USER, { type: 'memory.written', memory });
  return memory;
}

/** The answer: one tool round with the knowledge base, then the model's reply. */
async function answer(world: World, question: string): Promise<string> {
  const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 2, timeout: 20_000 });
  const tools: OpenAI.Chat.ChatCompletionTool[] = world.tools
    .list()
    .map((t) => ({ type: 'function', function: { name: t.name, description: t.description ?? '', parameters: t.parameters } }));
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: question }];
  for (let turn = 0; turn < 3; turn++) {
    const reply = (await client.chat.completions.create({ model: ANSWER_MODEL, messages, tools })).choices[0]?.message;
    if (reply === undefined) throw new Error('the model sent no choice');
    const calls = (reply.tool_calls ?? []).filter((c): c is OpenAI.Chat.ChatCompletionMessageFunctionToolCall => c.type === 'function');
    if (calls.length === 0) return reply.content ?? '';
    messages.push(reply);
    for (const call of calls) {
      const result = await world.tools.call(call.function.name, JSON.parse(call.function.arguments));
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
    }
  }
  return 'I could not finish answering.';
}

/** Remembers in the background and does not wait: the user should not pay for the memory. */
export async function naive(world: World): Promise<string> {
  world.spawn('memory', (w) => remember(w, QUESTION)).catch(() => undefined);
  return answer(world, QUESTION);
}

/**
 * Remembers concurrently, and joins that work before answering — whether the answer worked or not —
 * so the request owns everything it started; a failure on either path is said, not thrown.
 */
export async function hardened(world: World): Promise<string> {
  const memory = world
    .spawn('memory', (w) => remember(w, QUESTION))
    .then(
      () => undefined,
      (error: unknown) => `the memory was not saved: ${(error as Error).message}`,
    );
  let reply: string;
  try {
    reply = await answer(world, QUESTION);
  } catch (error) {
    reply = `I could not answer right now (${(error as Error).message}); please try again later.`;
  }
  const problem = await memory;
  return problem === undefined ? reply : `${reply}\n\n(${problem})`;
}

const memories = new Map<string, string>();

/** Like the hardened agent, but it caches memories in the module, across runs. */
export async function cachingBetweenRuns(world: World): Promise<string> {
  const memory = memories.has(QUESTION) ? Promise.resolve() : world.spawn('memory', async (w) => void memories.set(QUESTION, await remember(w, QUESTION)));
  const reply = await answer(world, QUESTION);
  await memory.catch(() => undefined);
  return reply;
}
