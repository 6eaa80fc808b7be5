// A support agent that bridges several MCP servers to the openai SDK: it connects to each server,
// turns their tools into function tools for the model, and routes the model's calls back to the
// server that owns each tool — the bridge every MCP host writes. Each bridge reaches its servers
// in-process or over Streamable HTTP with the SDK's own client transport (the `-http` agents), the
// way remote servers are reached in production. The naive bridge connects to all servers at once
// without deadlines, keeps one client per server for the life of the process, and builds its tool
// catalogue once, at start-up; it never looks at the list again, so it keeps calling tools its
// servers have since removed, renamed or redefined, and a server restart that forgets its session
// leaves it calling a dead session. The hardened bridge bounds every handshake and request, pins
// each tool's definition when it plans, re-lists a server as soon as it announces a change, starts
// a new session when the server has forgotten its own (HTTP 404, or the connection closed by the
// server), and fails closed — does not call — a tool that is gone or no longer what it was.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
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

/** How a bridge reaches a server: a transport to it. */
export type Dial = (world: World, server: string) => Transport;

/** In-process, through the world's own transport. */
export const inProcess: Dial = (world, server) => world.mcp.connect(server);

/** Over Streamable HTTP at the server's URL, with the SDK's client transport on world.fetch. */
export const streamableHttp: Dial = (world, server) => new StreamableHTTPClientTransport(new URL(world.mcp.url(server)), { fetch: world.fetch });

/** Connects everything up front and trusts the clients and the catalogue it built then for the whole session. */
function naiveBridge(dial: Dial) {
  return async function naive(world: World): Promise<string> {
    const clients = new Map<string, Client>();
    await Promise.all(
      SERVERS.map(async (name) => {
        const client = new Client(INFO);
        await client.connect(dial(world, name));
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
  };
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
  /** The server forgot our session (HTTP 404, or it closed the connection): a new one is due. */
  lost: boolean;
  /** New sessions started after the server forgot ours. */
  reopened: number;
}

const fingerprint = (tool: McpTool) => JSON.stringify({ description: tool.description ?? '', input: tool.inputSchema });

/**
 * True when the server answered that it no longer knows our session: MCP specification,
 * Streamable HTTP, session management, point 4 — a 404 to a request carrying Mcp-Session-Id means
 * the client MUST start a new session. The SDK's client transport only throws it
 * (modelcontextprotocol/typescript-sdk issue 1708), so the bridge does the re-initializing.
 */
const sessionGone = (error: unknown) => error instanceof StreamableHTTPError && error.code === 404;

/** Retires every pinned tool that is gone or changed in the current listing. */
function compare(session: Session): void {
  for (const [name, print] of session.pinned) {
    const now = session.tools.find((t) => t.name === name);
    if (now === undefined) session.changed.set(name, `${name} is no longer offered by ${session.server}`);
    else if (fingerprint(now) !== print) session.changed.set(name, `${name} on ${session.server} changed its definition`);
  }
}

/** Opens a session to the server (bounded), lists its tools, and pins them or compares them with the pins. */
async function attach(world: World, dial: Dial, session: Session): Promise<void> {
  const client = new Client(INFO, { listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => void (session.dirty = true) } } });
  // In-process, the server ending the connection is how a restart that forgot the session shows.
  client.onclose = () => void (session.client === client && (session.lost = true));
  try {
    await client.connect(dial(world, session.server), { timeout: 2_000 });
    session.tools = (await client.listTools(undefined, { timeout: 2_000 })).tools;
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  if (session.pinned.size === 0) for (const tool of session.tools) session.pinned.set(tool.name, fingerprint(tool));
  else compare(session);
  session.client = client;
}

async function open(world: World, dial: Dial, server: string): Promise<Session> {
  const session: Session = {
    server,
    client: undefined,
    down: undefined,
    pinned: new Map(),
    tools: [],
    dirty: false,
    changed: new Map(),
    lost: false,
    reopened: 0,
  };
  try {
    await attach(world, dial, session);
  } catch (error) {
    session.down = `${server} is unreachable (${(error as Error).message})`;
  }
  return session;
}

/** Starts a new session after the server forgot ours (once), re-listing and re-checking every pinned tool. */
async function reopen(world: World, dial: Dial, session: Session): Promise<void> {
  const old = session.client;
  session.client = undefined;
  session.lost = false;
  await old?.close().catch(() => undefined);
  if (session.reopened++ > 0) {
    session.down ??= `${session.server} lost its session again`;
    return;
  }
  try {
    await attach(world, dial, session);
  } catch (error) {
    session.down = `${session.server} could not start a new session (${(error as Error).message})`;
  }
}

/** Re-lists a server that announced a change, and retires every pinned tool that is gone or changed. */
async function refresh(world: World, dial: Dial, session: Session): Promise<void> {
  while (session.dirty && session.down === undefined && session.client !== undefined && !session.lost) {
    session.dirty = false;
    try {
      session.tools = (await session.client.listTools(undefined, { timeout: 2_000 })).tools;
    } catch (error) {
      if (sessionGone(error)) session.lost = true;
      else session.down = `${session.server} could not be re-listed (${(error as Error).message})`;
      break;
    }
    compare(session);
  }
  if (session.lost && session.down === undefined) await reopen(world, dial, session);
}

function hardenedBridge(dial: Dial) {
  return async function hardened(world: World): Promise<string> {
    const sessions = await Promise.all(SERVERS.map((server) => open(world, dial, server)));
    const ownerOf = (tool: string) => sessions.find((s) => s.pinned.has(tool));
    const usable = (s: Session) => s.down === undefined && s.client !== undefined;
    const offer = () =>
      sessions.filter(usable).flatMap((s) => s.tools.filter((t) => s.pinned.get(t.name) === fingerprint(t) && !s.changed.has(t.name)).map(asFunction));
    const send = async (session: Session, name: string, args: Record<string, unknown>): Promise<string> => {
      await refresh(world, dial, session);
      if (!usable(session)) return `ERROR: ${name} is unavailable: ${session.down ?? ''}`;
      const changed = session.changed.get(name);
      if (changed !== undefined) return `ERROR: not called, failing closed: ${changed} since this session planned with it`;
      const result = await (session.client as Client).callTool({ name, arguments: args }, undefined, { timeout: 3_000 });
      return result.isError === true ? `ERROR: ${name} failed: ${textOf(result)}` : textOf(result);
    };
    const dispatch = async (call: FunctionCall): Promise<string> => {
      const name = call.function.name;
      const session = ownerOf(name);
      if (session === undefined) return `ERROR: no server offers ${name}`;
      const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
      try {
        return await send(session, name, args);
      } catch (error) {
        if (!sessionGone(error)) return `ERROR: ${name} is unavailable: ${(error as Error).message}`;
      }
      // The server answered 404: it never ran the call, so sending it again in a new session is safe.
      session.lost = true;
      try {
        return await send(session, name, args);
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
  };
}

/** The bridges in-process, as hosts that run their servers beside them do. */
export const naive = naiveBridge(inProcess);
export const hardened = hardenedBridge(inProcess);

/** The same bridges over Streamable HTTP, as hosts reach remote servers. */
export const naiveHttp = naiveBridge(streamableHttp);
export const hardenedHttp = hardenedBridge(streamableHttp);
