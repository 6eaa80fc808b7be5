// The state of a store: every key keeps its versions with the virtual time each was written, so a
// read can be served as of an earlier time (a lagging replica), and the final state can be
// snapshotted for convergence checks.

export interface Version<T> {
  readonly version: number;
  readonly value: T | undefined;
  readonly t: number;
  readonly deleted: boolean;
}

/**
 * A store's final state, key → latest version and value. Keyed stores (kv, context, cache,
 * relational, vector) list every live key; append-only stores (event log, audit) list every entry
 * as `<topic>#<offset>` with `entry: true`, plus the entities their entries name.
 */
export interface Snapshot {
  readonly [key: string]: { readonly version: number; readonly value?: unknown; readonly entry?: true };
}

export class VersionedMap<T> {
  private readonly entries = new Map<string, Version<T>[]>();

  /** The latest version of `key` written at or before `asOf` (default: now, i.e. the latest). */
  read(key: string, asOf = Number.POSITIVE_INFINITY): Version<T> | undefined {
    const versions = this.entries.get(key);
    if (versions === undefined) return undefined;
    for (let i = versions.length - 1; i >= 0; i--) {
      const v = versions[i] as Version<T>;
      if (v.t <= asOf) return v.deleted ? undefined : v;
    }
    return undefined;
  }

  /** The version number `key` is at (0 when never written), deletions included. */
  versionOf(key: string): number {
    return this.entries.get(key)?.at(-1)?.version ?? 0;
  }

  write(key: string, value: T, t: number): number {
    return this.push(key, value, t, false);
  }

  delete(key: string, t: number): number {
    return this.push(key, undefined, t, true);
  }

  /** Keys with a live value as of `asOf`, in the order they were first written. */
  keys(asOf = Number.POSITIVE_INFINITY): string[] {
    return [...this.entries.keys()].filter((k) => this.read(k, asOf) !== undefined);
  }

  snapshot(): Snapshot {
    const out: Record<string, { version: number; value?: unknown }> = {};
    for (const key of this.keys()) {
      const v = this.read(key) as Version<T>;
      out[key] = { version: v.version, value: v.value };
    }
    return out;
  }

  private push(key: string, value: T | undefined, t: number, deleted: boolean): number {
    const versions = this.entries.get(key) ?? [];
    const version = (versions.at(-1)?.version ?? 0) + 1;
    versions.push({ version, value, t, deleted });
    this.entries.set(key, versions);
    return version;
  }
}
