// The assistant both agents share: a chat loop over the official openai client in which the model
// calls a `save_memory` tool when the user asks it to remember something. What the tool does with
// the memory (the six-store fan-out) is the part the naive and hardened agents write differently.
import OpenAI from 'openai';
import { type Conversation, rules, type World } from '../../harness/index.ts';
import type { Memory } from './memory.ts';

export interface MemoryInput {
  /** What the user says, one message per turn: a preference, then its update. */
  readonly messages: readonly string[];
}

/** Saves one memory everywhere it belongs; returns what to tell the model, or throws. */
export type MemoryWriter = (world: World, memory: Memory) => Promise<string>;

export const MODEL = 'gpt-4o-mini';

const SAVE_MEMORY: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'save_memory',
    description: 'Saves a fact about the user for future sessions',
    parameters: {
      type: 'object',
      properties: { key: { type: 'string', description: 'A stable key such as pref:invoices' }, text: { type: 'string' } },
      required: ['key', 'text'],
      additionalProperties: false,
    },
  },
};

const PREFERENCE = /I (?:now )?prefer (\w+) for ([\w ]+?)(?: now)?\.?$/i;

/** The simulated model: it saves every stated preference, then acknowledges (or admits it could not). */
export const memoryBrain = rules((conversation: Conversation) => {
  const last = conversation.messages.at(-1);
  if (last?.role === 'tool') return last.content.startsWith('ERROR') ? 'Sorry, I could not save that just now.' : 'Noted, I will remember that.';
  const said = PREFERENCE.exec(last?.content ?? '');
  if (said === null) return 'How can I help?';
  const [, channel, topic] = said as unknown as [string, string, string];
  return {
    toolCalls: [{ name: 'save_memory', arguments: { key: `pref:${topic.toLowerCase().replace(/\s+/g, '-')}`, text: `Prefers ${channel} for ${topic}` } }],
  };
});

/**
 * Talks to the model turn by turn and runs `write` for every memory it asks to save. Versions are
 * counted per key for the session, so an update is a newer version of the same entity.
 */
export async function converse(world: World, input: MemoryInput, write: MemoryWriter): Promise<string[]> {
  const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch });
  const versions = new Map<string, number>();
  const answers: string[] = [];
  for (const text of input.messages) {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You are a helpful assistant with long-term memory. Save user preferences with save_memory.' },
      { role: 'user', content: text },
    ];
    for (let turn = 0; turn < 3; turn++) {
      const reply = (await client.chat.completions.create({ model: MODEL, messages, tools: [SAVE_MEMORY] })).choices[0]?.message;
      if (reply === undefined) throw new Error('The model returned no choices');
      if (reply.tool_calls === undefined || reply.tool_calls.length === 0) {
        answers.push(reply.content ?? '');
        break;
      }
      messages.push(reply);
      for (const call of reply.tool_calls) {
        if (call.type !== 'function') continue;
        const args = JSON.parse(call.function.arguments) as { key: string; text: string };
        const version = (versions.get(args.key) ?? 0) + 1;
        versions.set(args.key, version);
        messages.push({ role: 'tool', tool_call_id: call.id, content: await write(world, { key: args.key, version, text: args.text }) });
      }
    }
  }
  return answers;
}
