// Goal: the simulated providers honour the request the way the real APIs do: stop sequences end
// the text before the sequence (Anthropic says stop_sequence and which one), `n` gives n answers,
// tool_choice reaches the brain and `none` is enforced, and response_format / text.format reach the
// brain and are echoed where the API echoes them. Method: raw requests through world.fetch and the
// official clients, against brains that record the Conversation they were given.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { type Conversation, rules, scripted, simulate, type World } from '../../../harness/index.ts';

const MODEL = 'gpt-4o-mini';
const REACT = 'Action: search\nObservation: made up';

async function post(url: string, body: unknown, brain = scripted([REACT, REACT])): Promise<unknown> {
  const r = await simulate(async (world: World) => (await world.fetch(url, { method: 'POST', body: JSON.stringify(body) })).json(), {
    seed: 3,
    llm: { models: { [MODEL]: brain } },
  });
  expect(r.outcome, r.message).toBe('ok');
  return r.value;
}

describe('stop sequences', () => {
  it('cut Chat Completions text before the sequence, with finish_reason stop', async () => {
    const chat = (await post('https://api.openai.com/v1/chat/completions', {
      model: MODEL,
      stop: ['\nObservation:'],
      messages: [{ role: 'user', content: 'q' }],
    })) as {
      choices: Array<{ message: { content: string }; finish_reason: string }>;
    };
    expect(chat.choices[0]).toMatchObject({ message: { content: 'Action: search' }, finish_reason: 'stop' });
  });

  it('cut Anthropic text with stop_reason stop_sequence and the sequence named, whole and streamed', async () => {
    const body = { model: MODEL, max_tokens: 50, stop_sequences: ['\nObservation:', 'never'], messages: [{ role: 'user', content: 'q' }] };
    expect(await post('https://api.anthropic.com/v1/messages', body)).toMatchObject({
      content: [{ type: 'text', text: 'Action: search' }],
      stop_reason: 'stop_sequence',
      stop_sequence: '\nObservation:',
    });
    const r = await simulate(
      async (world: World) => new Anthropic({ apiKey: 'sk-ant-sim', fetch: world.fetch }).messages.stream(body as Anthropic.MessageCreateParams).finalMessage(),
      { seed: 3, llm: { models: { [MODEL]: scripted([REACT]) } } },
    );
    expect(r.value).toMatchObject({ content: [{ type: 'text', text: 'Action: search' }], stop_reason: 'stop_sequence', stop_sequence: '\nObservation:' });
  });
});

describe('n, tool_choice and structured output formats', () => {
  it('gives n answers, one brain call each, with usage summed', async () => {
    const brain = rules((_c, { call }) => `answer ${call}`);
    const chat = (await post('https://api.openai.com/v1/chat/completions', { model: MODEL, n: 3, messages: [{ role: 'user', content: 'q' }] }, brain)) as {
      choices: Array<{ index: number; message: { content: string } }>;
      usage: { completion_tokens: number };
    };
    expect(chat.choices.map((c) => [c.index, c.message.content])).toEqual([
      [0, 'answer 0'],
      [1, 'answer 1'],
      [2, 'answer 2'],
    ]);
    expect(chat.usage.completion_tokens).toBeGreaterThanOrEqual(6);
  });

  it('passes tool_choice and response_format to the brain, and enforces tool_choice none', async () => {
    const seen: Conversation[] = [];
    const brain = rules((conversation) => {
      seen.push(conversation);
      return { text: 'done', toolCalls: [{ name: 'search', arguments: { q: 'x' } }] };
    });
    const tools = [{ type: 'function', function: { name: 'search', parameters: { type: 'object' } } }];
    const format = { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } };
    const none = (await post(
      'https://api.openai.com/v1/chat/completions',
      { model: MODEL, tools, tool_choice: 'none', response_format: format, messages: [{ role: 'user', content: 'q' }] },
      brain,
    )) as {
      choices: Array<{ message: { tool_calls?: unknown }; finish_reason: string }>;
    };
    expect(none.choices[0]?.message.tool_calls).toBeUndefined();
    expect(none.choices[0]?.finish_reason).toBe('stop');
    await post(
      'https://api.openai.com/v1/chat/completions',
      { model: MODEL, tools, tool_choice: { type: 'function', function: { name: 'search' } }, messages: [{ role: 'user', content: 'q' }] },
      brain,
    );
    await post(
      'https://api.anthropic.com/v1/messages',
      {
        model: MODEL,
        max_tokens: 50,
        tools: [{ name: 'search', input_schema: { type: 'object' } }],
        tool_choice: { type: 'any' },
        messages: [{ role: 'user', content: 'q' }],
      },
      brain,
    );
    expect(seen.map((c) => c.toolChoice)).toEqual(['none', { name: 'search' }, 'required']);
    expect(seen[0]?.responseFormat).toEqual(format);
  });

  it('reports a brain that ignores tool_choice required, and echoes Responses text.format and tool_choice', async () => {
    const r = await simulate(
      async (world: World) => {
        const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch });
        const format = { type: 'json_schema' as const, name: 'answer', schema: { type: 'object', properties: { a: { type: 'string' } } }, strict: false };
        const response = await client.responses.create({
          model: MODEL,
          input: 'q',
          tools: [{ type: 'function', name: 'search', parameters: { type: 'object' }, strict: false }],
          tool_choice: 'required',
          text: { format },
        });
        return { format: response.text?.format, choice: response.tool_choice };
      },
      { seed: 1, llm: { models: { [MODEL]: rules(() => '{"a":"b"}') } } },
    );
    expect(r.value).toMatchObject({ format: { type: 'json_schema', name: 'answer' }, choice: 'required' });
    expect(r.problems.map((p) => p.kind)).toEqual(['tool-choice-ignored']);
  });
});
