// A support agent that bridges several MCP servers to the openai SDK: it connects to each server,
// turns their tools into function tools for the model, and routes the model's calls back to the
// server that owns each tool — the bridge every MCP host writes. The naive bridge connects to all
// servers at once without deadlines and builds its tool catalogue once, at start-up; it never
// looks at the list again, so it keeps calling tools its servers have since removed, renamed or
// redefined. The hardened bridge bounds every handshake and request, pins each tool's definition
// when it plans, re-lists a server as soon as it announces a change, and fails closed — does not
// call — a tool that is gone or no longer what it was, going on without it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import OpenAI from 'openai';
import type { World } from '../../harness/index.ts';
import { MODEL, QUESTION } from './brain.ts';

export const SERVERS = ['crm', 'billing', 'kb'] as const;
const INFO = { name: 'support-agent', version: '1.0.0' };

type ChatTool = OpenAI.Chat.ChatCompletionTool;
type FunctionCall = OpenAI.Chat.ChatCompletionMessageFunctionToolCall;

const asFunction = (tool: McpTool): ChatTool => ({
  type: 'function',
  function: { name: tool.name, description: tool.description ?? '', parameters: tool.inputSchema },
});

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.find((c) => c.type === 'text')?.text ?? '';
}

/** The model loop: offer the tools, run the calls of each turn together, until the model answers. */
async function converse(world: World, offer: () => ChatTool[], dispatch: (call: FunctionCall) => Promise<string>): Promise<string> {
  const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 2, timeout: 15_000 });
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: QUESTION }];
  for (let turn = 0; turn < 5; turn++) {
    const tools = offer();
    const reply = (await client.chat.completions.create({ model: MODEL, messages, ...(tools.length > 0 ? { tools } : {}) })).choices[0]?.message;
    if (reply === undefined) throw new Error('the model sent no choice');
    const calls = (reply.tool_calls ?? []).filter((c): c is FunctionCall => c.type === 'function');
    if (calls.length === 0) return reply.content ?? '';
    messages.push(reply);
    const results = await Promise.all(calls.map(dispatch));
    calls.forEach((call, i) => messages.push({ role: 'tool', tool_call_id: call.id, content: results[i] ?? '' }));
  }
  return 'I could not finish looking into this case.';
}

/** Connects everything up front and trusts the catalogue it built then for the whole session. */
export async function naive(world: World): Promise<string> {
  const clients = new Map<string, Client>();
  await Promise.all(
    SERVERS.map(async (name) => {
      const client = new Client(INFO);
      await client.connect(world.mcp.connect(name));
      clients.set(name, client);
    }),
  );
  const owner = new Map<string, Client>();
  const catalogue: ChatTool[] = [];
  for (const name of SERVERS) {
    const client = clients.get(name) as Client;
    for (const tool of (await client.listTools()).tools) {
      owner.set(tool.name, client);
      catalogue.push(asFunction(tool));
    }
  }
  return converse(
    world,
    () => catalogue,
    async (call) =>
      textOf(
        await (owner.get(call.function.name) as Client).callTool({
          name: call.function.name,
          arguments: JSON.parse(call.function.arguments) as Record<string, unknown>,
        }),
      ),
  );
}

/** One server as the hardened bridge sees it. */
interface Session {
  readonly server: string;
  client: Client | undefined;
  /** Why the server cannot be used, once it cannot. */
  down: string | undefined;
  /** Each tool's definition when the session planned with it (description and input schema). */
  readonly pinned: Map<string, string>;
  /** The tools as last listed. */
  tools: McpTool[];
  /** The server announced a tool-list change that has not been looked at yet. */
  dirty: boolean;
  /** Tools that are gone or changed since they were pinned: never called again in this session. */
  readonly changed: Map<string, string>;
}

const fingerprint = (tool: McpTool) => JSON.stringify({ description: tool.description ?? '', input: tool.inputSchema });

async function open(world: World, server: string): Promise<Session> {
  const session: Session = { server, client: undefined, down: undefined, pinned: new Map(), tools: [], dirty: false, changed: new Map() };
  const client = new Client(INFO, { listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => void (session.dirty = true) } } });
  client.onclose = () => void (session.down ??= `${server} disconnected`);
  try {
    await client.connect(world.mcp.connect(server), { timeout: 2_000 });
    session.tools = (await client.listTools(undefined, { timeout: 2_000 })).tools;
    for (const tool of session.tools) session.pinned.set(tool.name, fingerprint(tool));
    session.client = client;
  } catch (error) {
    session.down = `${server} is unreachable (${(error as Error).message})`;
    await client.close().catch(() => undefined);
  }
  return session;
}

/** Re-lists a server that announced a change, and retires every pinned tool that is gone or changed. */
async function refresh(session: Session): Promise<void> {
  while (session.dirty && session.down === undefined && session.client !== undefined) {
    session.dirty = false;
    try {
      session.tools = (await session.client.listTools(undefined, { timeout: 2_000 })).tools;
    } catch (error) {
      session.down = `${session.server} could not be re-listed (${(error as Error).message})`;
      return;
    }
    for (const [name, print] of session.pinned) {
      const now = session.tools.find((t) => t.name === name);
      if (now === undefined) session.changed.set(name, `${name} is no longer offered by ${session.server}`);
      else if (fingerprint(now) !== print) session.changed.set(name, `${name} on ${session.server} changed its definition`);
    }
  }
}

export async function hardened(world: World): Promise<string> {
  const sessions = await Promise.all(SERVERS.map((server) => open(world, server)));
  const ownerOf = (tool: string) => sessions.find((s) => s.pinned.has(tool));
  const usable = (s: Session) => s.down === undefined && s.client !== undefined;
  const offer = () =>
    sessions.filter(usable).flatMap((s) => s.tools.filter((t) => s.pinned.get(t.name) === fingerprint(t) && !s.changed.has(t.name)).map(asFunction));
  const dispatch = async (call: FunctionCall): Promise<string> => {
    const name = call.function.name;
    const session = ownerOf(name);
    if (session === undefined) return `ERROR: no server offers ${name}`;
    await refresh(session);
    if (!usable(session)) return `ERROR: ${name} is unavailable: ${session.down ?? ''}`;
    const changed = session.changed.get(name);
    if (changed !== undefined) return `ERROR: not called, failing closed: ${changed} since this session planned with it`;
    try {
      const result = await (session.client as Client).callTool({ name, arguments: JSON.parse(call.function.arguments) as Record<string, unknown> }, undefined, {
        timeout: 3_000,
      });
      return result.isError === true ? `ERROR: ${name} failed: ${textOf(result)}` : textOf(result);
    } catch (error) {
      return `ERROR: ${name} is unavailable: ${(error as Error).message}`;
    }
  };
  try {
    const answer = await converse(world, offer, dispatch);
    const gaps = sessions.flatMap((s) => [...(s.down === undefined ? [] : [s.down]), ...s.changed.values()]);
    return gaps.length === 0 ? answer : `${answer} (Unavailable: ${gaps.join('; ')}.)`;
  } catch {
    return 'I could not look into this case right now: the assistant is unavailable. Please try again later.';
  } finally {
    await Promise.all(sessions.map((s) => s.client?.close().catch(() => undefined)));
  }
}
