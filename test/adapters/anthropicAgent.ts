// Shared pieces of the Anthropic adapter tests: a weather tool, a brain that uses it, and a real
// tool-using agent built on the official @anthropic-ai/sdk client, in three ways of calling it.
import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import {
  type Brain,
  type Conversation,
  defineTool,
  type FaultPlanInput,
  type ModelConfig,
  type RunResult,
  rules,
  simulate,
  type World,
} from '../../harness/index.ts';

// claude-sonnet-4-6 rather than 4-5: the SDK prints a deprecation warning for every request to 4-5.
export const MODEL = 'claude-sonnet-4-6';
export const SYSTEM = 'You are a terse weather assistant.';

export const weather = defineTool({
  name: 'weather',
  description: 'Current weather for a city',
  input: z.object({ city: z.string() }),
  handler: ({ city }) => ({ city, tempC: 21, sunny: true }),
});

/** Calls the weather tool, then reports the temperature (or apologises when the tool failed). */
export function weatherBrain(seen: Conversation[] = []) {
  return rules((conversation) => {
    seen.push(conversation);
    const last = conversation.messages.at(-1);
    if (last?.role === 'tool' && last.isError === true) return { text: `Sorry, the weather tool failed: ${last.content}` };
    if (last?.role === 'tool') {
      const result = JSON.parse(last.content) as { city: string; tempC: number };
      return { text: `It is ${result.tempC}°C in ${result.city}.` };
    }
    return { text: 'Let me check.', toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] };
  });
}

export type Mode = 'create' | 'stream' | 'iterate';

export interface Transcript {
  readonly text: string;
  readonly models: string[];
  readonly usage: Array<{ input: number; output: number }>;
  /** The `input` of every tool_use block the agent received, as the SDK gave it. */
  readonly inputs: unknown[];
  readonly stopReasons: Array<string | null>;
}

type Params = Anthropic.MessageCreateParamsNonStreaming;

/** One model call, made the way `mode` says. */
async function ask(client: Anthropic, mode: Mode, params: Params): Promise<Anthropic.Message> {
  if (mode === 'create') return client.messages.create(params);
  if (mode === 'stream') return client.messages.stream(params).finalMessage();
  return accumulate(await client.messages.create({ ...params, stream: true }));
}

/**
 * What an agent that consumes raw events does: it joins text deltas, joins `partial_json`
 * fragments and parses them with JSON.parse when the block stops.
 */
async function accumulate(stream: AsyncIterable<Anthropic.RawMessageStreamEvent>): Promise<Anthropic.Message> {
  let message: Anthropic.Message | undefined;
  const json: string[] = [];
  for await (const event of stream) {
    if (event.type === 'message_start') message = { ...event.message, content: [] };
    else if (message === undefined) continue;
    else if (event.type === 'content_block_start') message.content.push({ ...event.content_block } as Anthropic.ContentBlock);
    else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
      (message.content[event.index] as Anthropic.TextBlock).text += event.delta.text;
    else if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
      json[event.index] = (json[event.index] ?? '') + event.delta.partial_json;
    else if (event.type === 'content_block_stop' && message.content[event.index]?.type === 'tool_use')
      (message.content[event.index] as Anthropic.ToolUseBlock).input = JSON.parse(json[event.index] || '{}');
    else if (event.type === 'message_delta')
      message = { ...message, stop_reason: event.delta.stop_reason, usage: { ...message.usage, output_tokens: event.usage.output_tokens } };
  }
  if (message === undefined) throw new Error('the stream ended without a message_start');
  return message;
}

/** A tool-using agent loop: ask, run the tools asked for, send their results back, until an answer. */
export function weatherAgent(mode: Mode, clientOptions: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}, model = MODEL) {
  return async (world: World): Promise<Transcript> => {
    const client = new Anthropic({ apiKey: 'sk-ant-test', fetch: world.fetch, ...clientOptions });
    const tools: Anthropic.Tool[] = world.tools
      .list()
      .map((t) => ({ name: t.name, description: t.description ?? '', input_schema: t.parameters as Anthropic.Tool.InputSchema }));
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const transcript: Transcript = { text: '', models: [], usage: [], inputs: [], stopReasons: [] };
    for (let turn = 0; turn < 4; turn++) {
      const message = await ask(client, mode, { model, max_tokens: 1024, system: [{ type: 'text', text: SYSTEM }], messages, tools });
      transcript.models.push(message.model);
      transcript.usage.push({ input: message.usage.input_tokens, output: message.usage.output_tokens });
      transcript.stopReasons.push(message.stop_reason);
      messages.push({ role: 'assistant', content: message.content });
      const uses = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      if (message.stop_reason !== 'tool_use') {
        return { ...transcript, text: message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('') };
      }
      const results: Anthropic.ToolResultBlockParam[] = [];
      for (const use of uses) {
        transcript.inputs.push(use.input);
        try {
          results.push({ type: 'tool_result', tool_use_id: use.id, content: JSON.stringify(await world.tools.call(use.name, use.input)) });
        } catch (error) {
          results.push({ type: 'tool_result', tool_use_id: use.id, content: [{ type: 'text', text: (error as Error).message }], is_error: true });
        }
      }
      messages.push({ role: 'user', content: results });
    }
    throw new Error('the agent did not finish in 4 turns');
  };
}

export interface RunOptions {
  readonly seed?: number;
  readonly faults?: FaultPlanInput;
  readonly seen?: Conversation[];
  readonly clientOptions?: Partial<ConstructorParameters<typeof Anthropic>[0]>;
  /** The model the agent asks for (default MODEL). */
  readonly model?: string;
  /** The simulated models (default: MODEL answered by weatherBrain). */
  readonly models?: Readonly<Record<string, Brain | ModelConfig>>;
  readonly llm?: Omit<NonNullable<Parameters<typeof simulate>[1]>['llm'], 'models'>;
}

/** Runs the weather agent in `mode` against a simulated claude-sonnet-4-5. */
export function runWeather(mode: Mode, options: RunOptions = {}): Promise<RunResult<Transcript>> {
  return simulate(weatherAgent(mode, options.clientOptions, options.model), {
    seed: options.seed ?? 1,
    llm: { ...options.llm, models: options.models ?? { [MODEL]: weatherBrain(options.seen) } },
    tools: [weather],
    faults: options.faults ?? [],
  });
}
