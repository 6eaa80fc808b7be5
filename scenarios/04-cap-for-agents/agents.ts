// The shipping assistant as a team writes it with the openai SDK: the model asks for the order, the
// loyalty balance and the parcel's tracking; the agent runs those tools and hands back the results.
// The naive agent runs them with Promise.all and no deadlines, so one dependency that is down, slow
// or rate-limited takes the whole answer down with it. The hardened agent gives every dependency
// its own cockatiel policy (a timeout, bounded retries that honour retry-after), settles them
// independently, and tells the model what failed so the answer says what is missing.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ExponentialBackoff, handleAll, type IBackoffFactory, type IRetryBackoffContext, retry, TimeoutStrategy, timeout, wrap } from 'cockatiel';
import OpenAI from 'openai';
import type { World } from '../../harness/index.ts';
import { CARRIER, MODEL, QUESTION } from './world.ts';

type ToolRunner = (name: string, args: Record<string, unknown>, signal?: AbortSignal) => Promise<unknown>;
type ChatTool = OpenAI.Chat.ChatCompletionTool;

const INFO = { name: 'shipping-assistant', version: '1.0.0' };

function toolsFor(world: World): ChatTool[] {
  const fn = (name: string, description: string, parameters: Record<string, unknown>): ChatTool => ({
    type: 'function',
    function: { name, description, parameters },
  });
  const order = world.tools.list().find((t) => t.name === 'order_status');
  return [
    fn('order_status', order?.description ?? '', order?.parameters ?? {}),
    fn('track_shipment', 'Live tracking of a parcel by tracking id', {
      type: 'object',
      properties: { trackingId: { type: 'string' } },
      required: ['trackingId'],
    }),
    fn('points_balance', "A customer's loyalty points balance", { type: 'object', properties: { customerId: { type: 'string' } }, required: ['customerId'] }),
  ];
}

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.find((c) => c.type === 'text')?.text ?? '';
}

/** The model loop: ask, run the tools it asks for (all of a turn's calls at once), repeat. */
async function converse(world: World, run: (calls: OpenAI.Chat.ChatCompletionMessageFunctionToolCall[]) => Promise<string[]>): Promise<string> {
  const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 2, timeout: 15_000 });
  const tools = toolsFor(world);
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: QUESTION }];
  for (let turn = 0; turn < 4; turn++) {
    const reply = (await client.chat.completions.create({ model: MODEL, messages, tools })).choices[0]?.message;
    if (reply === undefined) throw new Error('the model sent no choice');
    const calls = (reply.tool_calls ?? []).filter((c): c is OpenAI.Chat.ChatCompletionMessageFunctionToolCall => c.type === 'function');
    if (calls.length === 0) return reply.content ?? '';
    messages.push(reply);
    const results = await run(calls);
    calls.forEach((call, i) => messages.push({ role: 'tool', tool_call_id: call.id, content: results[i] ?? '' }));
  }
  return 'I could not finish looking into your order.';
}

/** Runs every tool the way the happy path works: no deadline, and any failure is the agent's failure. */
export async function naive(world: World): Promise<string> {
  const loyalty = new Client(INFO);
  await loyalty.connect(world.mcp.connect('loyalty'));
  const runTool: ToolRunner = async (name, args) => {
    if (name === 'order_status') return world.tools.call(name, args);
    if (name === 'track_shipment') {
      const response = await world.fetch(`${CARRIER}/track/${String(args.trackingId)}`);
      if (!response.ok) throw new Error(`carrier answered ${response.status}`);
      return response.json();
    }
    return JSON.parse(textOf(await loyalty.callTool({ name, arguments: args })));
  };
  return converse(world, (calls) =>
    Promise.all(calls.map(async (c) => JSON.stringify(await runTool(c.function.name, JSON.parse(c.function.arguments) as Record<string, unknown>)))),
  );
}

/** A 429 from a dependency, with how long it asked us to wait. */
class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited (retry after ${retryAfterMs} ms)`);
  }
}

/** A backoff that waits as `inner` says, but never less than a 429 asked for. */
function honouringRetryAfter(inner: IBackoffFactory<IRetryBackoffContext<unknown>>): IBackoffFactory<IRetryBackoffContext<unknown>> {
  return {
    next(context) {
      const step = inner.next(context);
      const error = 'error' in context.result ? context.result.error : undefined;
      const asked = error instanceof RateLimited ? error.retryAfterMs : 0;
      return { duration: Math.max(asked, step.duration), next: (c) => honouringRetryAfter(step).next(c) };
    },
  };
}

/** Per dependency: one retry at most, after a backoff, and every attempt cut off after 3 s. */
const dependencyPolicy = () =>
  wrap(
    retry(handleAll, { maxAttempts: 1, backoff: honouringRetryAfter(new ExponentialBackoff({ initialDelay: 400, maxDelay: 2_000 })) }),
    timeout(3_000, TimeoutStrategy.Aggressive),
  );

/** Connects to the loyalty server within 2 s, or goes on without it. */
async function connectLoyalty(world: World): Promise<Client | undefined> {
  const client = new Client(INFO);
  try {
    await client.connect(world.mcp.connect('loyalty'), { timeout: 2_000 });
    return client;
  } catch {
    await client.close().catch(() => undefined);
    return undefined;
  }
}

export async function hardened(world: World): Promise<string> {
  const loyalty = await connectLoyalty(world);
  const policies = new Map<string, ReturnType<typeof dependencyPolicy>>();
  const runTool: ToolRunner = async (name, args, signal) => {
    if (name === 'order_status') return world.tools.call(name, args);
    if (name === 'track_shipment') {
      const response = await world.fetch(`${CARRIER}/track/${encodeURIComponent(String(args.trackingId))}`, signal === undefined ? {} : { signal });
      if (response.status === 429)
        throw new RateLimited(Number(response.headers.get('retry-after-ms') ?? Number(response.headers.get('retry-after') ?? 1) * 1000));
      if (!response.ok) throw new Error(`the carrier answered ${response.status}`);
      return response.json();
    }
    if (loyalty === undefined) throw new Error('the loyalty service is unavailable');
    const result = await loyalty.callTool({ name, arguments: args }, undefined, { timeout: 3_000, ...(signal === undefined ? {} : { signal }) });
    if (result.isError === true) throw new Error(textOf(result));
    return JSON.parse(textOf(result));
  };
  const settle = async (call: OpenAI.Chat.ChatCompletionMessageFunctionToolCall): Promise<string> => {
    const name = call.function.name;
    const policy = policies.get(name) ?? dependencyPolicy();
    policies.set(name, policy);
    try {
      const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
      return JSON.stringify(await policy.execute(({ signal }) => runTool(name, args, signal)));
    } catch (error) {
      return `ERROR: ${name} is unavailable (${(error as Error).message})`;
    }
  };
  try {
    return await converse(world, (calls) => Promise.all(calls.map(settle)));
  } catch {
    return 'I could not look into your order right now: the assistant is unavailable. Please try again later.';
  } finally {
    await loyalty?.close().catch(() => undefined);
  }
}
