// world.wrap(name, client): puts the async methods of any object — an embedded database client, an
// SDK for a service — behind yield points and the fault injector, so real clients are tested like
// the simulated stores: their calls interleave under the scheduling strategy, fail, hang, lose
// acknowledgements, run twice, or crash the caller, and every call lands in the history.
import type { Actor } from '../../sim/actors.ts';
import type { RandomStream } from '../../sim/rng.ts';
import { runStoreOp, type StoreContext } from './storeOp.ts';

/** Method names that only read; every other method is treated as a write. */
const READ = /^(get|read|find|list|select|query|count|search|fetch|has|exists|load|describe|all)/i;

export function wrapClient<T extends object>(ctx: StoreContext, name: string, client: T, actor: Actor, stream: RandomStream): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const member = Reflect.get(target, property, receiver) as unknown;
      if (typeof member !== 'function' || typeof property !== 'string') return member;
      const method = member as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const write = !READ.test(property);
        const key = typeof args[0] === 'string' ? args[0] : '';
        return runStoreOp(
          ctx,
          {
            store: name,
            actor,
            f: property,
            key,
            value: args,
            write,
            apply: async ({ op }) => {
              const result = await method.apply(target, args);
              if (write) ctx.history.effect({ store: name, key, f: property, op, value: args, t: ctx.kernel.now() });
              return { result };
            },
          },
          stream,
        );
      };
    },
  });
}
