// What all simulated stores share: a name, a versioned state, idempotency keys remembered across
// retries, effect records, and the op runner that makes every call a faultable yield point.
import type { Actor } from '../../sim/actors.ts';
import { canonicalJson } from '../../sim/canonicalJson.ts';
import type { RandomStream } from '../../sim/rng.ts';
import { type Applied, type ApplyContext, runStoreOp, type StoreContext } from './storeOp.ts';
import { type Snapshot, VersionedMap } from './versionedMap.ts';

export interface WriteOptions {
  /**
   * A key that makes the write idempotent: a second write with the same key (a retry, a duplicate
   * delivery) returns the first one's result and changes nothing.
   */
  readonly idempotencyKey?: string;
}

export abstract class StoreBase<V> {
  readonly state = new VersionedMap<V>();
  private readonly stream: RandomStream;
  private readonly applied = new Map<string, unknown>();
  /** History ops applied at least once, to tell a redelivery from a first application. */
  private readonly appliedOps = new Set<number>();

  constructor(
    protected readonly ctx: StoreContext,
    readonly name: string,
    readonly kind: string,
  ) {
    this.stream = ctx.kernel.rng.stream(`store:${name}`);
  }

  /** The final state, for convergence checks. */
  snapshot(): Snapshot {
    return this.state.snapshot();
  }

  /**
   * What the store holds, by value (versions aside): two applications of an operation are judged
   * by whether the second changed it, not by how often it ran (a second delete of a key does not).
   */
  protected fingerprint(): string {
    return canonicalJson(this.state.keys().map((key) => [key, this.state.read(key)?.value ?? null]));
  }

  protected get now(): number {
    return this.ctx.kernel.now();
  }

  protected readOp<T>(actor: Actor, f: string, key: string, apply: (asOf: number) => Applied<T>): Promise<T> {
    return runStoreOp(this.ctx, { store: this.name, actor, f, key, write: false, apply: ({ lagMs }) => apply(this.now - lagMs) }, this.stream);
  }

  /**
   * A write: `apply` runs once per delivery (twice under a duplicate fault), unless an idempotency
   * key makes later deliveries return the first result. Each real application is an effect.
   */
  protected writeOp<T>(
    actor: Actor,
    f: string,
    key: string,
    value: unknown,
    options: WriteOptions | undefined,
    apply: (context: ApplyContext) => Applied<T>,
  ): Promise<T> {
    const idempotencyKey = options?.idempotencyKey;
    return runStoreOp(
      this.ctx,
      {
        store: this.name,
        actor,
        f,
        key,
        value,
        write: true,
        idempotencyKey,
        apply: (context) => {
          if (idempotencyKey !== undefined && this.applied.has(idempotencyKey)) return { ...(this.applied.get(idempotencyKey) as Applied<T>), unchanged: true };
          // A repeated application (a duplicate delivery) is judged by its effect on the store.
          const repeat = this.appliedOps.has(context.op);
          const before = repeat ? this.fingerprint() : '';
          const applied = apply(context);
          const unchanged = repeat && this.fingerprint() === before;
          this.appliedOps.add(context.op);
          this.ctx.history.effect({
            store: this.name,
            key,
            f,
            op: context.op,
            value,
            t: this.now,
            ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
            ...(unchanged ? { changed: false } : {}),
          });
          if (idempotencyKey !== undefined) this.applied.set(idempotencyKey, applied);
          return unchanged ? { ...applied, unchanged: true } : applied;
        },
      },
      this.stream,
    );
  }
}
