// A tool-using agent on the official @google/genai client, which takes no fetch option: it runs in
// global network mode, where the global fetch is the world's. It asks, runs the weather tool the
// model calls, sends a functionResponse back, until the model answers; streamed, it reads
// generateContentStream's chunks and assembles the turn itself.
import { type Content, type FunctionCall, GoogleGenAI, type HttpOptions } from '@google/genai';
import type { World } from '../../harness/index.ts';
import { QUESTION } from './openaiFixtures.ts';

export const GEMINI = 'gemini-2.0-flash';

export interface GeminiAnswer {
  readonly text: string;
  readonly finishReasons: string[];
}

const declaration = {
  name: 'weather',
  description: 'Current weather for a city',
  parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

async function turn(ai: GoogleGenAI, contents: Content[], stream: boolean): Promise<{ content: Content; calls: FunctionCall[]; finish: string }> {
  const config = { tools: [{ functionDeclarations: [declaration] }] };
  if (!stream) {
    const r = await ai.models.generateContent({ model: GEMINI, contents, config });
    const candidate = r.candidates?.[0];
    return { content: candidate?.content ?? { role: 'model', parts: [] }, calls: r.functionCalls ?? [], finish: candidate?.finishReason ?? 'none' };
  }
  const parts: NonNullable<Content['parts']> = [];
  let finish = 'none';
  for await (const chunk of await ai.models.generateContentStream({ model: GEMINI, contents, config })) {
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) if (part.text !== '' || part.functionCall !== undefined) parts.push(part);
    finish = candidate?.finishReason ?? finish;
  }
  const calls = parts.flatMap((p) => (p.functionCall === undefined ? [] : [p.functionCall]));
  return { content: { role: 'model', parts }, calls, finish };
}

/** The weather agent on @google/genai, streamed or not, with the client's `httpOptions` (retryOptions, say). */
export function geminiAgent(stream: boolean, httpOptions: HttpOptions = {}) {
  return async (world: World): Promise<GeminiAnswer> => {
    const ai = new GoogleGenAI({ apiKey: 'AIza-sim', httpOptions });
    const contents: Content[] = [{ role: 'user', parts: [{ text: QUESTION }] }];
    const finishReasons: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { content, calls, finish } = await turn(ai, contents, stream);
      finishReasons.push(finish);
      if (calls.length === 0) return { text: (content.parts ?? []).map((p) => p.text ?? '').join(''), finishReasons };
      contents.push(content);
      const results = await Promise.all(calls.map(async (c) => ({ name: c.name, response: { output: await world.tools.call(c.name ?? '', c.args) } })));
      contents.push({ role: 'user', parts: results.map((functionResponse) => ({ functionResponse })) });
    }
    throw new Error('the model never answered');
  };
}
