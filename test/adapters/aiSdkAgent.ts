// A tool-using agent on the Vercel AI SDK (`ai`), whatever provider package builds its model:
// generateText or streamText with the weather tool, up to four steps, as the AI SDK's docs write
// one. The provider tests run it against each simulated provider.
import { generateText, jsonSchema, type LanguageModel, stepCountIs, streamText, tool } from 'ai';
import type { World } from '../../harness/index.ts';
import { QUESTION } from './openaiFixtures.ts';

export type AiSdkMode = 'generate' | 'stream';

export interface AiSdkAnswer {
  readonly text: string;
  readonly finishReason: string;
  readonly steps: number;
  /** The error streamText reported, if any (it reports errors as stream parts, not by throwing). */
  readonly error?: string;
}

function weatherTool(world: World) {
  return tool({
    description: 'Current weather for a city',
    inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
    execute: async (args) => world.tools.call('weather', args),
  });
}

/** An agent asking `model` (built from the world, so that it can take world.fetch) about the weather. */
export function aiSdkAgent(model: (world: World) => LanguageModel, mode: AiSdkMode, options: { maxRetries?: number; tools?: boolean } = {}) {
  return async (world: World): Promise<AiSdkAnswer> => {
    const request = {
      model: model(world),
      prompt: QUESTION,
      ...(options.tools === false ? {} : { tools: { weather: weatherTool(world) } }),
      stopWhen: stepCountIs(4),
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    };
    if (mode === 'generate') {
      const r = await generateText(request);
      return { text: r.text, finishReason: r.finishReason, steps: r.steps.length };
    }
    // A failed stream surfaces as an error part, or as the fullStream iterator throwing (a dropped connection).
    let error: string | undefined;
    const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}` : String(e));
    const s = streamText({ ...request, onError: () => undefined });
    try {
      for await (const part of s.fullStream) if (part.type === 'error') error ??= describe(part.error);
    } catch (e) {
      error ??= describe(e);
    }
    if (error !== undefined) return { text: '', finishReason: 'error', steps: 0, error };
    return { text: await s.text, finishReason: await s.finishReason, steps: (await s.steps).length };
  };
}
