// The world as agent code sees it. Everything an agent can observe that is not its own code comes
// from here, so a run is a pure function of (seed, fault plan, scenario). Each actor gets its own
// view of the world, bound to its name, so the calls it makes are attributed to it in the trace.

import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { FaultInjector } from '../faults/injector.ts';
import type { Actor } from '../sim/actors.ts';
import type { Kernel } from '../sim/kernel.ts';
import type { RandomStream } from '../sim/rng.ts';
import type { Channel, ChannelOptions } from './coordination/channel.ts';
import type { Coordination } from './coordination/coordination.ts';
import type { AcquireOptions, Semaphore } from './coordination/locks.ts';
import type { Envelope, ReceiveOptions } from './coordination/mailboxes.ts';
import { createWorldFetch, type FetchConfig, type WorldFetch } from './fetch.ts';
import type { ToolSpec } from './llm/conversation.ts';
import { type DirectLlm, directLlm } from './llm/direct.ts';
import type { LlmService } from './llm/llmService.ts';
import type { McpHub } from './mcp/mcpHub.ts';
import { type Stores, storesView, type WorldStores } from './stores/stores.ts';
import type { ToolBox } from './tools.ts';

export interface WorldTools {
  /** Calls a tool: a yield point `tool:<name>` where faults apply. */
  call<T = unknown>(name: string, args: unknown): Promise<T>;
  /** The tools on offer now (after removals, renames and schema drift), with JSON Schemas. */
  list(): ToolSpec[];
}

export interface World {
  /** The actor this view of the world belongs to (`main` for the agent itself). */
  readonly actor: string;
  /** The run's seed. */
  readonly seed: string;
  /** A fetch served by the run's msw handlers in virtual time. Pass it to SDKs: `new OpenAI({ fetch: world.fetch })`. */
  readonly fetch: WorldFetch;
  /** The simulated LLMs, without HTTP. */
  readonly llm: DirectLlm;
  readonly tools: WorldTools;
  /** The simulated MCP servers, in-process or over HTTP. */
  readonly mcp: WorldMcp;
  /** Virtual milliseconds since the run started. */
  now(): number;
  /** Waits `ms` virtual milliseconds. */
  sleep(ms: number, options?: { readonly signal?: AbortSignal }): Promise<void>;
  /**
   * Starts `fn` as a concurrent actor called `name` (made unique: `worker`, `worker#2`) and
   * resolves with its result. Use the world it receives, so its calls carry its name.
   */
  spawn<T>(name: string, fn: (world: World) => Promise<T> | T): Promise<T>;
  /** A named, seeded random stream for agent code that wants its own. */
  random(name: string): RandomStream;

  /** The run's mutex called `name`: `const release = await world.mutex('ledger').lock()`. */
  mutex(name: string): WorldLock;
  /** The run's semaphore called `name` with `permits` permits. */
  semaphore(name: string, permits: number): WorldLock;
  /** Puts a message in actor `to`'s mailbox. */
  send(to: string, body: unknown): void;
  /** Takes the oldest message from this actor's mailbox (from one sender, optionally), waiting for one. */
  receive<T = unknown>(options?: ReceiveOptions): Promise<Envelope<T>>;
  /** The run's channel called `name`: a queue with a capacity, for backpressure. */
  channel<T = unknown>(name: string, options?: ChannelOptions): WorldChannel<T>;
  /** Waits for actor `name` to finish; returns its result or throws what it threw. */
  join<T = unknown>(name: string, options?: { readonly timeoutMs?: number }): Promise<T>;
  /** Declares progress; a run that stops declaring it for `limits.stallSteps` steps is livelocked. */
  progress(label?: string): void;

  /** The run's stores, by kind and name: `await world.stores.kv('bank').get('account:1')`. */
  readonly stores: WorldStores;
  /** Puts a real client's async methods behind yield points and store faults, as store `name`. */
  wrap<T extends object>(name: string, client: T): T;
}

export interface WorldMcp {
  /** An in-process transport to server `server`: `await new Client(info).connect(world.mcp.connect('crm'))`. */
  connect(server: string): Transport;
  /**
   * Where server `server` is served over HTTP: its Streamable HTTP URL, or with `'sse'` the legacy
   * HTTP+SSE URL. Reach it with the SDK's own transport over world.fetch:
   * `new StreamableHTTPClientTransport(new URL(world.mcp.url('crm')), { fetch: world.fetch })`
   * (or without `fetch` in `network: 'global'` mode).
   * @throws FaultlineError INVALID_OPTIONS for a server that does not exist, or `'sse'` for one served without it.
   */
  url(server: string, transport?: 'streamable-http' | 'sse'): string;
}

export interface WorldLock {
  /** Waits for the lock (or a permit) and resolves with the function that releases it. */
  lock(options?: AcquireOptions): Promise<() => void>;
  /** Runs `fn` holding the lock, releasing it however `fn` ends. */
  withLock<T>(fn: () => Promise<T> | T, options?: AcquireOptions): Promise<T>;
}

export interface WorldChannel<T> {
  send(item: T, options?: { readonly timeoutMs?: number }): Promise<void>;
  receive(options?: { readonly timeoutMs?: number }): Promise<T>;
  readonly depth: number;
}

/** What every actor's view shares. */
export interface WorldContext {
  readonly kernel: Kernel;
  readonly injector: FaultInjector;
  readonly fetch: FetchConfig;
  readonly llm: LlmService;
  readonly tools: ToolBox;
  readonly mcp: McpHub;
  readonly coordination: Coordination;
  readonly stores: Stores;
}

function lockView(semaphore: Semaphore, actor: Actor): WorldLock {
  return {
    lock: (options) => semaphore.acquire(actor, options),
    withLock: (fn, options) => semaphore.with(actor, fn, options),
  };
}

export function createWorld(context: WorldContext, actor: Actor): World {
  const { kernel } = context;
  const world: World = {
    actor: actor.name,
    seed: kernel.rng.seed,
    fetch: createWorldFetch(kernel, actor, context.fetch),
    llm: directLlm(kernel, context.llm, actor),
    tools: {
      call: <T>(name: string, args: unknown) => context.tools.call(actor, name, args) as Promise<T>,
      list: () => context.tools.list(),
    },
    mcp: { connect: (server) => context.mcp.connect(actor, server), url: (server, transport) => context.mcp.url(actor, server, transport) },
    now: () => kernel.now(),
    sleep: (ms, options) => {
      if (!(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) {
        return Promise.reject(new RangeError(`world.sleep needs a finite number of milliseconds >= 0, got ${String(ms)}`));
      }
      return kernel.sleep(actor, Math.round(ms), options?.signal);
    },
    spawn: (name, fn) => kernel.spawn(name, actor, (child) => fn(createWorld(context, child))),
    random: (name) => kernel.rng.stream(`agent:${name}`),
    mutex: (name) => lockView(context.coordination.mutex(name), actor),
    semaphore: (name, permits) => lockView(context.coordination.semaphore(name, permits), actor),
    send: (to, body) => context.coordination.mailboxes.send(actor, to, body),
    receive: (options) => context.coordination.mailboxes.receive(actor, options),
    channel: <T>(name: string, options?: ChannelOptions) => {
      return new ChannelView<T>(context.coordination.channel<T>(name, options?.capacity ?? Number.POSITIVE_INFINITY), actor);
    },
    join: (name, options) => context.coordination.join(actor, name, options),
    progress: (label) => kernel.progress(actor, label),
    stores: storesView(context.stores, actor),
    wrap: (name, client) => context.stores.wrap(actor, name, client),
  };
  return world;
}

/**
 * An actor's handle on a channel. A class, so that `depth` is one getter on the prototype: a getter
 * made per handle would give each its own hidden class in V8's old space, keeping the run's objects
 * alive through young-generation collections. send and receive stay bound (arrow fields).
 */
class ChannelView<T> implements WorldChannel<T> {
  constructor(
    private readonly channel: Channel<T>,
    private readonly actor: Actor,
  ) {}
  readonly send = (item: T, o?: { timeoutMs?: number }) => this.channel.send(this.actor, item, o);
  readonly receive = (o?: { timeoutMs?: number }) => this.channel.receive(this.actor, o);
  get depth(): number {
    return this.channel.depth;
  }
}
