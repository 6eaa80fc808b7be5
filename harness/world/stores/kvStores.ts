// Key-value stores: a plain key-value register store (read, write, compare-and-set, delete), the
// per-session context store built on it, and the session cache, whose entries expire in virtual
// time. Values are copied in and out, as they would be over a wire.
import type { Actor } from '../../sim/actors.ts';
import { canonicalJson } from '../../sim/canonicalJson.ts';
import { StoreBase, type WriteOptions } from './storeBase.ts';
import { StoreError } from './storeOp.ts';
import type { Snapshot } from './versionedMap.ts';

const copy = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

export class KvStore extends StoreBase<unknown> {
  get<T>(actor: Actor, key: string): Promise<T | undefined> {
    return this.readOp(actor, 'read', key, (asOf) => {
      const v = this.state.read(key, asOf);
      return { result: copy(v?.value) as T | undefined, version: v?.version ?? 0 };
    });
  }

  set(actor: Actor, key: string, value: unknown, options?: WriteOptions): Promise<number> {
    return this.writeOp(actor, 'write', key, value, options, () => {
      const version = this.state.write(key, copy(value), this.now);
      return { result: version, version, recorded: value };
    });
  }

  /** Writes `next` only if the current value equals `expected`; a mismatch fails with a conflict. */
  cas(actor: Actor, key: string, expected: unknown, next: unknown, options?: WriteOptions): Promise<number> {
    return this.writeOp(actor, 'cas', key, [expected, next], options, () => {
      const current = this.state.read(key)?.value;
      if (canonicalJson(current) !== canonicalJson(expected)) {
        throw new StoreError(this.name, 'conflict', `${this.name}.cas(${key}) expected ${canonicalJson(expected)} but found ${canonicalJson(current)}`);
      }
      const version = this.state.write(key, copy(next), this.now);
      return { result: version, version, recorded: [expected, next] };
    });
  }

  delete(actor: Actor, key: string, options?: WriteOptions): Promise<number> {
    return this.writeOp(actor, 'delete', key, undefined, options, () => {
      const version = this.state.delete(key, this.now);
      return { result: version, version };
    });
  }

  /** The live keys starting with `prefix`, in the order they were first written. */
  keys(actor: Actor, prefix = ''): Promise<string[]> {
    return this.readOp(actor, 'query', prefix, (asOf) => {
      const keys = this.state.keys(asOf).filter((k) => k.startsWith(prefix));
      return { result: keys };
    });
  }

  client(actor: Actor) {
    return {
      keys: (prefix?: string) => this.keys(actor, prefix),
      get: <T = unknown>(key: string) => this.get<T>(actor, key),
      set: (key: string, value: unknown, options?: WriteOptions) => this.set(actor, key, value, options),
      cas: (key: string, expected: unknown, next: unknown, options?: WriteOptions) => this.cas(actor, key, expected, next, options),
      delete: (key: string, options?: WriteOptions) => this.delete(actor, key, options),
    };
  }
}

/** Per-session key-value context: the working memory an agent carries from turn to turn. */
export class ContextStore extends KvStore {
  contextClient(actor: Actor) {
    const key = (session: string, name: string) => `${session}/${name}`;
    return {
      get: <T = unknown>(session: string, name: string) => this.get<T>(actor, key(session, name)),
      set: (session: string, name: string, value: unknown, options?: WriteOptions) => this.set(actor, key(session, name), value, options),
      delete: (session: string, name: string, options?: WriteOptions) => this.delete(actor, key(session, name), options),
    };
  }
}

interface Cached {
  readonly value: unknown;
  readonly expiresAt: number;
}

/** A session cache: entries live for their TTL in virtual time, then read as missing. */
export class CacheStore extends StoreBase<Cached> {
  /** The cached values themselves (expired ones included: a cache that was never cleared still disagrees). */
  override snapshot(): Snapshot {
    return Object.fromEntries(Object.entries(super.snapshot()).map(([k, e]) => [k, { version: e.version, value: (e.value as Cached).value }]));
  }

  get<T>(actor: Actor, key: string): Promise<T | undefined> {
    return this.readOp(actor, 'read', key, (asOf) => {
      const v = this.state.read(key, asOf);
      const live = v !== undefined && (v.value as Cached).expiresAt > this.now;
      return {
        result: (live ? copy((v.value as Cached).value) : undefined) as T | undefined,
        version: live ? v.version : 0,
        recorded: live ? (v.value as Cached).value : undefined,
      };
    });
  }

  set(actor: Actor, key: string, value: unknown, options: WriteOptions & { readonly ttlMs?: number } = {}): Promise<number> {
    return this.writeOp(actor, 'write', key, value, options, () => {
      const version = this.state.write(key, { value: copy(value), expiresAt: this.now + (options.ttlMs ?? Number.POSITIVE_INFINITY) }, this.now);
      return { result: version, version, recorded: value };
    });
  }

  delete(actor: Actor, key: string): Promise<number> {
    return this.writeOp(actor, 'delete', key, undefined, undefined, () => {
      const version = this.state.delete(key, this.now);
      return { result: version, version };
    });
  }

  client(actor: Actor) {
    return {
      get: <T = unknown>(key: string) => this.get<T>(actor, key),
      set: (key: string, value: unknown, options?: WriteOptions & { readonly ttlMs?: number }) => this.set(actor, key, value, options),
      delete: (key: string) => this.delete(actor, key),
    };
  }
}
