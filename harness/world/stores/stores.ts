// The stores of one run, created on first use by name and shared by every actor: the six a memory
// write fans out to (vector, relational, session cache, event log, audit trail, context) plus a
// plain key-value store, and any real client wrapped with world.wrap.
import type { Actor } from '../../sim/actors.ts';
import { FaultlineError } from '../../sim/errors.ts';
import { AppendLog } from './appendLog.ts';
import { CacheStore, ContextStore, KvStore } from './kvStores.ts';
import { RelationalStore } from './relationalStore.ts';
import type { StoreBase } from './storeBase.ts';
import type { StoreContext } from './storeOp.ts';
import { VectorStore } from './vectorStore.ts';
import type { Snapshot } from './versionedMap.ts';
import { wrapClient } from './wrap.ts';

type Kind = 'kv' | 'context' | 'cache' | 'vector' | 'relational' | 'eventLog' | 'audit';

const makers: Record<Kind, new (ctx: StoreContext, name: string, kind: string) => StoreBase<never>> = {
  kv: KvStore as never,
  context: ContextStore as never,
  cache: CacheStore as never,
  vector: VectorStore as never,
  relational: RelationalStore as never,
  eventLog: AppendLog,
  audit: AppendLog,
};

export class Stores {
  private readonly byName = new Map<string, StoreBase<never>>();
  private readonly wrapped = new Set<string>();

  constructor(readonly ctx: StoreContext) {}

  get<S>(kind: Kind, name: string): S {
    const existing = this.byName.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind) throw this.clash(name, existing.kind, kind);
      return existing as S;
    }
    if (this.wrapped.has(name)) throw this.clash(name, 'wrapped client', kind);
    const made = new makers[kind](this.ctx, name, kind);
    this.byName.set(name, made);
    return made as S;
  }

  wrap<T extends object>(actor: Actor, name: string, client: T): T {
    if (this.byName.has(name)) throw this.clash(name, this.byName.get(name)?.kind ?? '', 'wrapped client');
    this.wrapped.add(name);
    return wrapClient(this.ctx, name, client, actor, this.ctx.kernel.rng.stream(`store:${name}`));
  }

  /** The final state of every simulated store, by name. */
  snapshots(): Record<string, Snapshot> {
    return Object.fromEntries([...this.byName].map(([name, store]) => [name, store.snapshot()]));
  }

  private clash(name: string, was: string, wanted: string): FaultlineError {
    return new FaultlineError('INVALID_OPTIONS', {
      what: `Store "${name}" is a ${was} store and was asked for as a ${wanted} store`,
      where: this.ctx.kernel.where(),
      todo: 'Give each store one kind: a name names one store for the whole run',
    });
  }
}

/** The stores as one actor sees them. */
export function storesView(stores: Stores, actor: Actor) {
  return {
    kv: (name = 'kv') => stores.get<KvStore>('kv', name).client(actor),
    context: (name = 'context') => stores.get<ContextStore>('context', name).contextClient(actor),
    cache: (name = 'cache') => stores.get<CacheStore>('cache', name).client(actor),
    vector: (name = 'vector') => stores.get<VectorStore>('vector', name).client(actor),
    relational: (name = 'db') => stores.get<RelationalStore>('relational', name).client(actor),
    eventLog: (name = 'events') => stores.get<AppendLog>('eventLog', name).logClient(actor),
    audit: (name = 'audit') => stores.get<AppendLog>('audit', name).auditClient(actor),
  };
}

export type WorldStores = ReturnType<typeof storesView>;
