// The research loop both agents share: the model asks for the CRM and billing records through
// tools, the agent runs the calls and hands back the results, and the model writes the brief.
// Then, on request, the model drafts the renewal email from a brief.
import OpenAI from 'openai';
import type { World } from '../../harness/index.ts';
import { BRIEF_SYSTEM, EMAIL_SYSTEM, MODEL } from './briefModel.ts';

export interface BriefInput {
  readonly accountId: string;
}

export interface Research {
  readonly brief: string;
  /** What each tool returned, by tool name. */
  readonly results: Readonly<Record<string, unknown>>;
}

export const openai = (world: World): OpenAI => new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 2, timeout: 30_000 });

export async function research(world: World, client: OpenAI, accountId: string): Promise<Research> {
  const tools = world.tools
    .list()
    .map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description ?? '', parameters: t.parameters } }));
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
    { role: 'system', content: BRIEF_SYSTEM },
    { role: 'user', content: `Prepare the brief for account ${accountId}.` },
  ];
  const results: Record<string, unknown> = {};
  for (let turn = 0; turn < 4; turn++) {
    const reply = (await client.chat.completions.create({ model: MODEL, messages, tools })).choices[0]?.message;
    if (reply === undefined) throw new Error('the model returned no choices');
    if (reply.tool_calls === undefined || reply.tool_calls.length === 0) return { brief: reply.content ?? '', results };
    messages.push(reply);
    for (const call of reply.tool_calls) {
      if (call.type !== 'function') continue;
      const result = await world.tools.call(call.function.name, JSON.parse(call.function.arguments));
      results[call.function.name] = result;
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
    }
  }
  throw new Error('the model did not finish the brief in four turns');
}

export async function draftEmail(client: OpenAI, brief: string): Promise<string> {
  const completion = await client.chat.completions.create({
    model: MODEL,
    messages: [
      { role: 'system', content: EMAIL_SYSTEM },
      { role: 'user', content: `Brief: ${brief}` },
    ],
  });
  return completion.choices[0]?.message.content ?? '';
}
