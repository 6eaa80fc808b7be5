// A demo until the scenario library lands: an LLM provider that answers 503 to a seeded number of
// requests in a row, and two agents that call it through the official openai client. The naive
// agent disables the SDK's retries; the hardened one keeps them and falls back to a canned answer.
import { http, HttpResponse } from 'msw';
import OpenAI from 'openai';
import type { World } from '../../harness/index.ts';

const COMPLETIONS = 'https://api.openai.com/v1/chat/completions';

/** Fails the first N requests with 503, N drawn per run (0–3) from the run's seeded randomness. */
export function flakyProvider() {
  let failuresLeft = -1;
  return [
    http.post(COMPLETIONS, () => {
      if (failuresLeft < 0) failuresLeft = Math.floor(Math.random() * 4);
      if (failuresLeft > 0) {
        failuresLeft--;
        return HttpResponse.json({ error: { message: 'The server is overloaded', type: 'server_error', code: null } }, { status: 503 });
      }
      return HttpResponse.json({
        id: 'chatcmpl-demo',
        object: 'chat.completion',
        created: 1_735_689_600,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Your refund was approved.', refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
      });
    }),
  ];
}

async function ask(client: OpenAI): Promise<string> {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Was my refund approved?' }],
  });
  return completion.choices[0]?.message.content ?? '';
}

/** Trusts the provider to be up: no retries. */
export async function naiveAgent(world: World): Promise<string> {
  return ask(new OpenAI({ apiKey: 'sim-key', fetch: world.fetch, maxRetries: 0 }));
}

/** Retries with the SDK's backoff, bounded by a timeout, and degrades to a stated fallback. */
export async function hardenedAgent(world: World): Promise<string> {
  const client = new OpenAI({ apiKey: 'sim-key', fetch: world.fetch, maxRetries: 3, timeout: 20_000 });
  try {
    return await ask(client);
  } catch {
    return 'The assistant is unavailable right now; your request was queued.';
  }
}
