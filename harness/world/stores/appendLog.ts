// Append-only stores: the event log (entries per topic, with offsets) and the audit trail (one
// sequence, never rewritten). An entry may say which entity and version it records, so the log
// can be compared with the other stores holding that entity.
import type { Actor } from '../../sim/actors.ts';
import { StoreBase, type WriteOptions } from './storeBase.ts';
import type { Snapshot } from './versionedMap.ts';

export interface AppendOptions extends WriteOptions {
  /** The entity this entry is about, and its version, for cross-store convergence checks. */
  readonly entity?: { readonly key: string; readonly version: number };
}

export interface LogEntry {
  readonly offset: number;
  readonly topic: string;
  readonly value: unknown;
  readonly entity?: { readonly key: string; readonly version: number };
  readonly t: number;
}

export class AppendLog extends StoreBase<never> {
  private readonly entries: LogEntry[] = [];

  /** Every append changes a log, so its length is what an application can change. */
  protected override fingerprint(): string {
    return String(this.entries.length);
  }

  append(actor: Actor, topic: string, value: unknown, options: AppendOptions = {}): Promise<number> {
    return this.writeOp(actor, 'append', topic, value, options, () => {
      const offset = this.entries.length;
      this.entries.push({ offset, topic, value: structuredClone(value), t: this.now, ...(options.entity === undefined ? {} : { entity: options.entity }) });
      return { result: offset, recorded: value };
    });
  }

  /** Entries of `topic` from `from` on (every topic when `topic` is undefined). */
  read(actor: Actor, topic: string | undefined, from = 0): Promise<LogEntry[]> {
    return this.readOp(actor, 'query', topic ?? '', (asOf) => {
      const entries = this.entries.filter((e) => e.offset >= from && e.t <= asOf && (topic === undefined || e.topic === topic)).map((e) => structuredClone(e));
      return { result: entries, recorded: entries.map((e) => e.offset) };
    });
  }

  /** Every entry, for checks after a run. */
  all(): readonly LogEntry[] {
    return this.entries;
  }

  /**
   * Everything the log holds: every entry under `<topic>#<offset>` (version 1: an entry is never
   * rewritten; marked `entry`, so convergence checks do not take it for an entity other stores
   * must hold), and for entries that name an entity, that entity's latest recorded version under
   * its key, as the other stores hold it.
   */
  override snapshot(): Snapshot {
    const out: Record<string, { version: number; value?: unknown; entry?: true }> = {};
    for (const e of this.entries) {
      out[`${e.topic}#${e.offset}`] = { version: 1, value: e.value, entry: true };
      if (e.entity === undefined) continue;
      const seen = out[e.entity.key];
      if (seen === undefined || e.entity.version >= seen.version) out[e.entity.key] = { version: e.entity.version, value: e.value };
    }
    return out;
  }

  logClient(actor: Actor) {
    return {
      append: (topic: string, value: unknown, options?: AppendOptions) => this.append(actor, topic, value, options),
      read: (topic?: string, from?: number) => this.read(actor, topic, from),
    };
  }

  auditClient(actor: Actor) {
    return {
      record: (value: unknown, options?: AppendOptions) => this.append(actor, 'audit', value, options),
      /** As the event log's: an entry under a topic of the agent's choosing. */
      append: (topic: string, value: unknown, options?: AppendOptions) => this.append(actor, topic, value, options),
      list: () => this.read(actor, undefined, 0),
    };
  }
}
