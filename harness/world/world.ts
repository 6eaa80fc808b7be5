// The world as agent code sees it. Everything an agent can observe that is not its own code comes
// from here, so a run is a pure function of (seed, fault plan, scenario). Each actor gets its own
// view of the world, bound to its name, so the calls it makes are attributed to it in the trace.
import type { Actor } from '../sim/actors.ts';
import type { Kernel } from '../sim/kernel.ts';
import type { RandomStream } from '../sim/rng.ts';
import { createWorldFetch, type FetchConfig, type WorldFetch } from './fetch.ts';

export interface World {
  /** The actor this view of the world belongs to (`main` for the agent itself). */
  readonly actor: string;
  /** The run's seed. */
  readonly seed: string;
  /** A fetch served by the run's msw handlers in virtual time. Pass it to SDKs: `new OpenAI({ fetch: world.fetch })`. */
  readonly fetch: WorldFetch;
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
  readonly fetch: FetchConfig;
}

export function createWorld(context: WorldContext, actor: Actor): World {
  const { kernel } = context;
  const world: World = {
    actor: actor.name,
    seed: kernel.rng.seed,
    fetch: createWorldFetch(kernel, actor, context.fetch),
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
