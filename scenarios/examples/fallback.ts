// A cross-provider fallback, as teams write it: OpenAI first, Google Gemini when OpenAI fails. The
// naive agent's retry helper was written against the openai client's errors (`error.headers` and
// its `retry-after`), and breaks on the first error Gemini's client throws, which has no headers:
// its hint to retry is in the body, as a google.rpc.RetryInfo `retryDelay`. The hardened agent
// reads each provider's own shape, waits what the provider asks (capped), and says so when both
// providers are down instead of throwing. Runs in global network mode: @google/genai takes no fetch
// option, so the world serves the global fetch.
import { ApiError, GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import type { Brain, World } from '../../harness/index.ts';

const QUESTION = 'Summarise the refund policy in one sentence.';
const OPENAI_MODEL = 'gpt-4o-mini';
const GEMINI_MODEL = 'gemini-2.0-flash';

/** Both simulated models give the same answer: a brain does not know which provider asked. */
export const policy: Brain = () => 'Refunds are issued to the original payment method within 14 days of the return.';

async function askOpenAI(world: World): Promise<string> {
  const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 0 });
  const reply = await client.chat.completions.create({ model: OPENAI_MODEL, messages: [{ role: 'user', content: QUESTION }] });
  return reply.choices[0]?.message.content ?? '';
}

async function askGemini(): Promise<string> {
  const ai = new GoogleGenAI({ apiKey: 'AIza-sim' });
  const reply = await ai.models.generateContent({ model: GEMINI_MODEL, contents: QUESTION });
  return reply.text ?? '';
}

/** Retries a 429 after the provider's `retry-after`, as the openai client's errors carry it. */
async function retryOnRateLimit(world: World, call: () => Promise<string>): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const e = error as { status?: number; headers: Headers };
      if (e.status !== 429 || attempt === 2) throw error;
      await world.sleep(Number(e.headers.get('retry-after') ?? '1') * 1000);
    }
  }
}

/** OpenAI, then Gemini, through a retry helper that knows only OpenAI's error shape. */
export async function naive(world: World): Promise<string> {
  try {
    return await retryOnRateLimit(world, () => askOpenAI(world));
  } catch {
    return await retryOnRateLimit(world, () => askGemini());
  }
}

/**
 * How long a provider asks to wait before retrying, in milliseconds, from its own error shape:
 * the openai client's `retry-after-ms` / `retry-after` headers, or Gemini's RetryInfo `retryDelay`
 * ("7s") in the JSON body @google/genai puts in the ApiError's message. Undefined when not a 429.
 */
function retryDelayMs(error: unknown): number | undefined {
  if (error instanceof OpenAI.APIError) {
    if (error.status !== 429) return undefined;
    const ms = Number(error.headers?.get('retry-after-ms'));
    if (Number.isFinite(ms) && ms > 0) return ms;
    const seconds = Number(error.headers?.get('retry-after'));
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
  }
  if (error instanceof ApiError) {
    if (error.status !== 429) return undefined;
    try {
      const details = (JSON.parse(error.message) as { error?: { details?: Array<{ '@type'?: string; retryDelay?: string }> } }).error?.details ?? [];
      const delay = details.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
      const seconds = delay === undefined ? Number.NaN : Number.parseFloat(delay);
      return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
    } catch {
      return 1000;
    }
  }
  return undefined;
}

/** Retries a provider's 429 after the delay it asks for (at most 20 s, three attempts). */
async function retryEither(world: World, call: () => Promise<string>): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delay = retryDelayMs(error);
      if (delay === undefined || delay > 20_000 || attempt === 2) throw error;
      await world.sleep(delay);
    }
  }
}

/** OpenAI, then Gemini, each retried in its own terms; an answer that says so when both are down. */
export async function hardened(world: World): Promise<string> {
  try {
    return await retryEither(world, () => askOpenAI(world));
  } catch {
    try {
      return await retryEither(world, () => askGemini());
    } catch {
      return 'I cannot reach a language model right now (OpenAI and Gemini are both failing); please try again in a few minutes.';
    }
  }
}
