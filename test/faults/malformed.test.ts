// Goal: broken tool-call arguments arrive only in shapes providers really send: `""` for a call
// without arguments, `null` (OpenAI-compatible Chat Completions), JSON cut inside a multi-byte
// character, and — in a whole Anthropic response — always an object. A naive agent that does
// JSON.parse(arguments) fails on each; a hardened one copes. Method: the official openai client
// against one-rule plans and brains that send raw arguments; the Anthropic body read raw.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { type FaultPlanInput, type RunResult, scripted, simulate, type World } from '../../harness/index.ts';
import { expectDeterministic } from '../helpers/determinism.ts';

const MODEL = 'gpt-4o-mini';
const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
const faultMarks = (r: RunResult) => r.trace.filter((e) => e.type === 'mark' && e.name === 'fault').length;

/** What the agent gets as the first tool call's arguments, as the wire carried them. */
async function wireArguments(reply: unknown, faults: FaultPlanInput = [], stream = false) {
  const r = await simulate(
    async (world: World) => {
      const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch });
      if (!stream) {
        const c = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'weather?' }], tools });
        return {
          args: (c.choices[0]?.message.tool_calls?.[0] as { function: { arguments: string | null } } | undefined)?.function.arguments,
          finish: c.choices[0]?.finish_reason,
        };
      }
      const s = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'weather?' }], tools, stream: true });
      let args: string | null = '';
      let finish: string | null = null;
      for await (const chunk of s) {
        const call = chunk.choices[0]?.delta.tool_calls?.[0];
        if (call?.function !== undefined) args = call.function.arguments === null ? null : `${args ?? ''}${call.function.arguments ?? ''}`;
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      return { args, finish };
    },
    { seed: 1, llm: { models: { [MODEL]: scripted([reply as never]) } }, faults },
  );
  return { ...(r.value as { args: string | null; finish: string }), marks: faultMarks(r) };
}

/** A naive agent parses the arguments as they come; a hardened one treats "" and null as no arguments and a cut answer as no answer. */
function toolAgent(hardened: boolean) {
  return async (world: World): Promise<string> => {
    const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch });
    for (let attempt = 0; attempt < 3; attempt++) {
      const c = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'weather?' }], tools });
      const choice = c.choices[0];
      const raw = (choice?.message.tool_calls?.[0] as { function: { arguments: string | null } } | undefined)?.function.arguments;
      if (!hardened) return `weather in ${(JSON.parse(raw as string) as { city?: string }).city ?? 'nowhere'}`;
      if (choice?.finish_reason === 'length') continue; // cut short: ask again
      const args = (raw === null || raw === undefined || raw.trim() === '' ? {} : JSON.parse(raw)) as { city?: string };
      return `weather in ${args.city ?? 'your city (which city?)'}`;
    }
    return 'Sorry, the model kept being cut off.';
  };
}

const paris = { toolCalls: [{ name: 'get_weather', arguments: { city: 'Zürich' } }] };

describe('malformed tool-call arguments, in the shapes providers send', () => {
  it('lets a brain send a zero-argument call as "" on the wire, as many providers do', async () => {
    expect(await wireArguments({ toolCalls: [{ name: 'get_weather', rawArguments: '' }] })).toMatchObject({ args: '', finish: 'tool_calls', marks: 0 });
  });

  it('sends "" (empty-arguments), null (null-arguments) and a multi-byte cut (cut-multibyte), whole and streamed', async () => {
    for (const stream of [false, true]) {
      expect(await wireArguments(paris, [{ target: 'llm:*', kind: 'malformed', params: { mode: 'empty-arguments' } }], stream)).toEqual({
        args: '',
        finish: 'tool_calls',
        marks: 1,
      });
      expect(await wireArguments(paris, [{ target: 'llm:*', kind: 'malformed', params: { mode: 'null-arguments' } }], stream)).toEqual({
        args: null,
        finish: 'tool_calls',
        marks: 1,
      });
      // The cut lands inside "ü": the bytes before it are an incomplete sequence, which arrives as U+FFFD; the answer was cut by max tokens.
      expect(await wireArguments(paris, [{ target: 'llm:*', kind: 'malformed', params: { mode: 'cut-multibyte' } }], stream)).toEqual({
        args: '{"city":"Z\uFFFD',
        finish: 'length',
        marks: 1,
      });
    }
  });

  it('changes nothing, and says why, where a mode has no shape', async () => {
    const noMultibyte = { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] };
    const r = await wireArguments(noMultibyte, [{ target: 'llm:*', kind: 'malformed', params: { mode: 'cut-multibyte' } }]);
    expect(r).toEqual({ args: '{"city":"Paris"}', finish: 'tool_calls', marks: 0 });
    const zero = await wireArguments({ toolCalls: [{ name: 'get_weather', rawArguments: '' }] }, [
      { target: 'llm:*', kind: 'malformed', params: { mode: 'empty-arguments' } },
    ]);
    expect(zero.marks).toBe(0);
  });

  it('fails a naive agent that JSON.parses arguments on each shape, and a hardened one answers', async () => {
    for (const mode of ['empty-arguments', 'null-arguments', 'cut-multibyte'] as const) {
      const faults: FaultPlanInput = [{ target: 'llm:*', kind: 'malformed', when: { calls: [0] }, params: { mode } }];
      const models = { [MODEL]: scripted([paris, paris, paris]) };
      const naive = await simulate(toolAgent(false), { seed: 1, llm: { models }, faults });
      expect(naive.outcome, mode).toBe('threw');
      // JSON.parse('') and a cut text throw SyntaxError; JSON.parse(null) is null, whose `.city` throws TypeError.
      expect(naive.error, mode).toBeInstanceOf(mode === 'null-arguments' ? TypeError : SyntaxError);
      const hardened = await expectDeterministic((seed) => simulate(toolAgent(true), { seed, llm: { models }, faults }), 1);
      expect(hardened.value, mode).toMatch(/^weather in /);
    }
  });

  it('keeps a whole Anthropic response’s tool_use input an object for every mode', async () => {
    for (const mode of ['truncated-json', 'not-json', 'wrong-type', 'empty-arguments', 'null-arguments', 'cut-multibyte'] as const) {
      const r = await simulate(
        async (world: World) => {
          const res = await world.fetch('https://api.anthropic.com/v1/messages', {
            method: 'POST',
            body: JSON.stringify({
              model: MODEL,
              max_tokens: 100,
              messages: [{ role: 'user', content: 'weather?' }],
              tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
            }),
          });
          return ((await res.json()) as { content: Array<{ type: string; input?: unknown }> }).content.find((b) => b.type === 'tool_use')?.input;
        },
        { seed: 1, llm: { models: { [MODEL]: scripted([paris]) } }, faults: [{ target: 'llm:*', kind: 'malformed', params: { mode } }] },
      );
      expect(typeof r.value === 'object' && r.value !== null && !Array.isArray(r.value), `${mode}: ${JSON.stringify(r.value)}`).toBe(true);
    }
  });
});
