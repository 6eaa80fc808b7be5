// The world as agent code sees it. Everything an agent can observe that is not its own code comes
// from here, so a run is a pure function of (seed, fault plan, scenario). Each actor gets its own
// view of the world, bound to its name, so the calls it makes are attributed to it in the trace.
import type { Actor } from '../sim/actors.ts';
import type { Kernel } from '../sim/kernel.ts';
import type { RandomStream } from '../sim/rng.ts';
import type { FaultInjector } from '../faults/injector.ts';
import { createWorldFetch, type FetchConfig, type WorldFetch } from './fetch.ts';
import { type DirectLlm, directLlm } from './llm/direct.ts';
import type { ToolSpec } from './llm/conversation.ts';
import type { LlmService } from './llm/llmService.ts';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpHub } from './mcp/mcpHub.ts';
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
  /** The simulated MCP servers: `await new Client(info).connect(world.mcp.connect('crm'))`. */
  readonly mcp: { connect(server: string): Transport };
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
}

/** What every actor's view shares. */
export interface WorldContext {
  readonly kernel: Kernel;
  readonly injector: FaultInjector;
  readonly fetch: FetchConfig;
  readonly llm: LlmService;
  readonly tools: ToolBox;
  readonly mcp: McpHub;
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
    mcp: { connect: (server) => context.mcp.connect(actor, server) },
    now: () => kernel.now(),
    sleep: (ms, options) => {
      if (!(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)) {
        return Promise.reject(new RangeError(`world.sleep needs a finite number of milliseconds >= 0, got ${String(ms)}`));
      }
      return kernel.sleep(actor, Math.round(ms), options?.signal);
    },
    spawn: (name, fn) => kernel.spawn(name, actor, (child) => fn(createWorld(context, child))),
    random: (name) => kernel.rng.stream(`agent:${name}`),
  };
  return world;
}
