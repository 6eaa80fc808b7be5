// The clients the conformance table drives, one per (layer, API) column: the official openai and
// @anthropic-ai/sdk clients (whole and streamed), AzureOpenAI, @google/genai and the AWS SDK's
// Bedrock client (the last two in global network mode), world.llm, world.fetch against an msw handler,
// world.tools, the official MCP Client (in-process, over Streamable HTTP, and over the legacy
// HTTP+SSE transport), and a store. Each returns a digest of what its caller saw,
// so a cell can compare a faulted run with a clean one.
import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { GoogleGenAI } from '@google/genai';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { HttpResponse, http } from 'msw';
import OpenAI, { AzureOpenAI } from 'openai';
import { z } from 'zod';
import { defineTool, type Layer, rules, type SimulateOptions, type World } from '../../harness/index.ts';

export const MODEL = 'gpt-4o-mini';
export const NEXT = 'gpt-4o-mini-2024-07-18';

/** The model says something with a fact in it and calls a tool whose arguments hold a multi-byte character. */
const brain = (text: string) => rules(() => ({ text, toolCalls: [{ name: 'weather', arguments: { city: 'Zürich', days: 3 } }] }));

const WEATHER_SCHEMA = { type: 'object', properties: { city: { type: 'string' }, days: { type: 'number' } } } as const;

const lookup = defineTool({
  name: 'lookup_order',
  description: 'Finds an order',
  input: z.object({ id: z.string() }),
  handler: ({ id }) => ({ id, total: 120, items: ['a', 'b', 'c', 'd'], updated: '2025-01-05' }),
});

function buildCrm(): McpServer {
  const server = new McpServer({ name: 'crm', version: '1.0.0' });
  server.registerTool('lookup', { description: 'Look up an order', inputSchema: { id: z.string() } }, ({ id }) => ({
    content: [{ type: 'text', text: JSON.stringify({ id, total: 120 }) }],
  }));
  return server;
}

/** The world every cell runs in. */
export function worldOptions(handlerCalls: { n: number }): Omit<SimulateOptions, 'faults' | 'seed'> {
  return {
    llm: { models: { [MODEL]: { brain: brain('Order 120 ships today.'), versions: { [NEXT]: brain('Order 7 ships tomorrow.') } } } },
    tools: [lookup],
    mcp: { crm: buildCrm },
    handlers: () => [
      http.get('https://api.example.com/orders/A1', () => {
        // The handler's side effect: what a lost acknowledgement leaves applied.
        handlerCalls.n++;
        return HttpResponse.json({ id: 'A1', total: 120, items: ['a', 'b', 'c', 'd'] });
      }),
    ],
  };
}

export interface Column {
  readonly layer: Layer;
  readonly api: string;
  /** The target a rule in this column names. */
  readonly target: string;
  readonly drive: (world: World) => Promise<unknown>;
  /** The run's network mode: clients that take no fetch option (@google/genai, the AWS SDK) need `global`. */
  readonly network?: 'global';
}

const openai = (world: World) => new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 0 });
const anthropic = (world: World) => new Anthropic({ apiKey: 'sk-ant-sim', fetch: world.fetch, maxRetries: 0 });
const question = [{ role: 'user' as const, content: 'Where is my order, and the weather in Zürich?' }];
const chatTools = [{ type: 'function' as const, function: { name: 'weather', parameters: WEATHER_SCHEMA } }];

async function chat(world: World, stream: boolean) {
  const client = openai(world);
  if (!stream) {
    const c = await client.chat.completions.create({ model: MODEL, messages: question, tools: chatTools });
    const choice = c.choices[0];
    return { model: c.model, text: choice?.message.content, calls: choice?.message.tool_calls, finish: choice?.finish_reason };
  }
  const s = await client.chat.completions.create({ model: MODEL, messages: question, tools: chatTools, stream: true });
  let text = '';
  const args: string[] = [];
  let finish: string | null | undefined;
  let model = '';
  for await (const chunk of s) {
    model = chunk.model;
    const choice = chunk.choices[0];
    text += choice?.delta.content ?? '';
    for (const call of choice?.delta.tool_calls ?? []) args[call.index] = (args[call.index] ?? '') + (call.function?.arguments ?? '');
    finish = choice?.finish_reason ?? finish;
  }
  return { model, text, args, finish };
}

async function responses(world: World, stream: boolean) {
  const client = openai(world);
  const request = {
    model: MODEL,
    input: 'Where is my order, and the weather in Zürich?',
    tools: [{ type: 'function' as const, name: 'weather', parameters: WEATHER_SCHEMA, strict: false }],
  };
  const r = stream ? await client.responses.stream(request).finalResponse() : await client.responses.create(request);
  return { model: r.model, status: r.status, output: r.output };
}

async function messages(world: World, stream: boolean) {
  const client = anthropic(world);
  const request = { model: MODEL, max_tokens: 256, messages: question, tools: [{ name: 'weather', input_schema: WEATHER_SCHEMA }] };
  const m = stream ? await client.messages.stream(request).finalMessage() : await client.messages.create(request);
  return { model: m.model, content: m.content, stop: m.stop_reason };
}

async function azure(world: World, stream: boolean) {
  const client = new AzureOpenAI({
    endpoint: 'https://contoso.openai.azure.com',
    apiKey: 'azure-key',
    apiVersion: '2024-10-21',
    deployment: MODEL,
    fetch: world.fetch,
    maxRetries: 0,
  });
  if (!stream) {
    const c = await client.chat.completions.create({ model: MODEL, messages: question, tools: chatTools });
    const choice = c.choices[0];
    return { model: c.model, text: choice?.message.content, calls: choice?.message.tool_calls, finish: choice?.finish_reason };
  }
  const s = await client.chat.completions.create({ model: MODEL, messages: question, tools: chatTools, stream: true });
  let text = '';
  const args: string[] = [];
  let finish: string | null | undefined;
  for await (const chunk of s) {
    const choice = chunk.choices[0];
    text += choice?.delta.content ?? '';
    for (const call of choice?.delta.tool_calls ?? []) args[call.index] = (args[call.index] ?? '') + (call.function?.arguments ?? '');
    finish = choice?.finish_reason ?? finish;
  }
  return { text, args, finish };
}

/** @google/genai (global mode): the answer's parts and finish reason, whole or from the stream's chunks. */
async function gemini(_world: World, stream: boolean) {
  const ai = new GoogleGenAI({ apiKey: 'AIza-sim' });
  const request = {
    model: MODEL,
    contents: 'Where is my order, and the weather in Zürich?',
    config: { tools: [{ functionDeclarations: [{ name: 'weather', parametersJsonSchema: WEATHER_SCHEMA }] }] },
  };
  if (!stream) {
    const r = await ai.models.generateContent(request);
    return { model: r.modelVersion, candidates: r.candidates, usage: r.usageMetadata };
  }
  const chunks: unknown[] = [];
  for await (const chunk of await ai.models.generateContentStream(request)) chunks.push({ model: chunk.modelVersion, candidates: chunk.candidates });
  return chunks;
}

/** The AWS SDK's Bedrock client (global mode, HTTP/2), no retries: the message and stop reason, whole or from the events. */
async function bedrock(_world: World, stream: boolean) {
  const client = new BedrockRuntimeClient({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIDSIMULATED', secretAccessKey: 'secret' } });
  const request = {
    modelId: MODEL,
    messages: [{ role: 'user' as const, content: [{ text: 'Where is my order, and the weather in Zürich?' }] }],
    toolConfig: { tools: [{ toolSpec: { name: 'weather', inputSchema: { json: WEATHER_SCHEMA } } }] },
  };
  if (!stream) {
    const r = await client.send(new ConverseCommand(request));
    return { content: r.output?.message?.content, stop: r.stopReason, usage: r.usage };
  }
  const r = await client.send(new ConverseStreamCommand(request));
  const events: unknown[] = [];
  for await (const event of r.stream ?? []) events.push(event);
  return events;
}

/** The transports an MCP client reaches the server with, one column each. */
const dial: Record<'memory' | 'http' | 'sse', (world: World) => Transport> = {
  memory: (world) => world.mcp.connect('crm'),
  http: (world) => new StreamableHTTPClientTransport(new URL(world.mcp.url('crm')), { fetch: world.fetch }),
  sse: (world) => new SSEClientTransport(new URL(world.mcp.url('crm', 'sse')), { fetch: world.fetch }),
};

async function mcp(world: World, via: keyof typeof dial) {
  const client = new Client({ name: 'agent', version: '1.0.0' });
  let notified = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    notified++;
  });
  await client.connect(dial[via](world));
  // Timed server faults fire at when.afterMs = 250, once the connection is up on either transport.
  await world.sleep(300);
  const listed = (await client.listTools()).tools.map((t) => ({
    name: t.name,
    description: t.description,
    input: Object.keys(t.inputSchema.properties ?? {}),
  }));
  const result = await client.callTool({ name: 'lookup', arguments: { id: 'A1' } });
  await client.close();
  return { listed, result, notified };
}

async function store(world: World) {
  const log = world.stores.eventLog('orders');
  await world.sleep(5);
  await log.append('placed', { id: 'A1' });
  await world.sleep(5);
  const entries = await log.read('placed');
  return { entries: entries.length, at: world.now() };
}

export const COLUMNS: readonly Column[] = [
  {
    layer: 'http',
    api: 'http',
    target: 'http:api.example.com',
    drive: async (w) => {
      const r = await w.fetch('https://api.example.com/orders/A1');
      return { status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() };
    },
  },
  { layer: 'llm', api: 'openai.chat', target: `llm:${MODEL}`, drive: (w) => chat(w, false) },
  { layer: 'llm', api: 'openai.chat+stream', target: `llm:${MODEL}`, drive: (w) => chat(w, true) },
  { layer: 'llm', api: 'openai.responses', target: `llm:${MODEL}`, drive: (w) => responses(w, false) },
  { layer: 'llm', api: 'openai.responses+stream', target: `llm:${MODEL}`, drive: (w) => responses(w, true) },
  { layer: 'llm', api: 'anthropic.messages', target: `llm:${MODEL}`, drive: (w) => messages(w, false) },
  { layer: 'llm', api: 'anthropic.messages+stream', target: `llm:${MODEL}`, drive: (w) => messages(w, true) },
  {
    layer: 'llm',
    api: 'direct',
    target: `llm:${MODEL}`,
    drive: (w) => w.llm.complete({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'weather', parameters: WEATHER_SCHEMA }] }),
  },
  { layer: 'llm', api: 'azure.openai', target: `llm:azure/${MODEL}`, drive: (w) => azure(w, false) },
  { layer: 'llm', api: 'azure.openai+stream', target: `llm:azure/${MODEL}`, drive: (w) => azure(w, true) },
  { layer: 'llm', api: 'gemini.generateContent', target: `llm:gemini/${MODEL}`, drive: (w) => gemini(w, false), network: 'global' },
  { layer: 'llm', api: 'gemini.generateContent+stream', target: `llm:gemini/${MODEL}`, drive: (w) => gemini(w, true), network: 'global' },
  { layer: 'llm', api: 'bedrock.converse', target: `llm:bedrock/${MODEL}`, drive: (w) => bedrock(w, false), network: 'global' },
  { layer: 'llm', api: 'bedrock.converse+stream', target: `llm:bedrock/${MODEL}`, drive: (w) => bedrock(w, true), network: 'global' },
  {
    layer: 'tool',
    api: 'world.tools',
    target: 'tool:lookup_order',
    drive: async (w) => ({ listed: w.tools.list(), result: await w.tools.call('lookup_order', { id: 'A1' }) }),
  },
  { layer: 'mcp', api: 'mcp.client', target: 'mcp:crm', drive: (w) => mcp(w, 'memory') },
  { layer: 'mcp', api: 'mcp.http', target: 'mcp:crm', drive: (w) => mcp(w, 'http') },
  { layer: 'mcp', api: 'mcp.sse', target: 'mcp:crm', drive: (w) => mcp(w, 'sse') },
  { layer: 'store', api: 'world.stores', target: 'store:orders', drive: store },
];
