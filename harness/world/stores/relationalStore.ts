// A relational store: tables of rows keyed by id, each row versioned. Updates can require the
// version they read (optimistic concurrency), and a transaction applies several row writes at once
// or, under a partial-write fault, only some of them before failing: the atomicity a real
// database gives, and what happens without it.
import type { Actor } from '../../sim/actors.ts';
import { StoreBase, type WriteOptions } from './storeBase.ts';
import { StoreError } from './storeOp.ts';

export type Row = Readonly<Record<string, unknown>> & { readonly id: string };

export interface RowWrite {
  readonly table: string;
  readonly row: Row;
  /** Fail the whole transaction unless the row is still at this version (0: must not exist). */
  readonly expectVersion?: number;
}

const rowKey = (table: string, id: string) => `${table}/${id}`;

export class RelationalStore extends StoreBase<Row> {
  get(actor: Actor, table: string, id: string): Promise<(Row & { readonly _version: number }) | undefined> {
    const key = rowKey(table, id);
    return this.readOp(actor, 'read', key, (asOf) => {
      const v = this.state.read(key, asOf);
      return {
        result: v?.value === undefined ? undefined : { ...structuredClone(v.value), _version: v.version },
        version: v?.version ?? 0,
        recorded: v?.value,
      };
    });
  }

  select(actor: Actor, table: string, where: (row: Row) => boolean = () => true): Promise<Row[]> {
    return this.readOp(actor, 'query', table, (asOf) => {
      const rows = this.state
        .keys(asOf)
        .filter((k) => k.startsWith(`${table}/`))
        .map((k) => this.state.read(k, asOf)?.value as Row)
        .filter(where)
        .map((r) => structuredClone(r));
      return { result: rows, recorded: rows.map((r) => r.id) };
    });
  }

  /** Inserts or replaces a row; with `expectVersion`, only if the row is still at that version. */
  put(actor: Actor, table: string, row: Row, options: WriteOptions & { readonly expectVersion?: number } = {}): Promise<number> {
    const key = rowKey(table, row.id);
    return this.writeOp(actor, 'write', key, row, options, () => {
      this.check({ table, row, ...(options.expectVersion === undefined ? {} : { expectVersion: options.expectVersion }) });
      const version = this.state.write(key, structuredClone(row), this.now);
      return { result: version, version, recorded: row };
    });
  }

  delete(actor: Actor, table: string, id: string, options?: WriteOptions): Promise<number> {
    const key = rowKey(table, id);
    return this.writeOp(actor, 'delete', key, undefined, options, () => {
      const version = this.state.delete(key, this.now);
      return { result: version, version };
    });
  }

  /** Applies every write or none (unless a partial-write fault interrupts it part-way). */
  transaction(actor: Actor, writes: readonly RowWrite[], options?: WriteOptions): Promise<number[]> {
    return this.writeOp(actor, 'txn', '', writes, options, ({ keepFraction }) => {
      for (const w of writes) this.check(w);
      const kept = keepFraction === undefined ? writes : writes.slice(0, Math.floor(writes.length * keepFraction));
      const versions = kept.map((w) => this.state.write(rowKey(w.table, w.row.id), structuredClone(w.row), this.now));
      return { result: versions, recorded: versions };
    });
  }

  private check(w: RowWrite): void {
    if (w.expectVersion === undefined) return;
    const key = rowKey(w.table, w.row.id);
    const current = this.state.read(key) === undefined ? 0 : this.state.versionOf(key);
    if (current !== w.expectVersion) {
      throw new StoreError(this.name, 'conflict', `${this.name}: row ${key} is at version ${current}, not ${w.expectVersion}`);
    }
  }

  client(actor: Actor) {
    return {
      get: (table: string, id: string) => this.get(actor, table, id),
      select: (table: string, where?: (row: Row) => boolean) => this.select(actor, table, where),
      put: (table: string, row: Row, options?: WriteOptions & { readonly expectVersion?: number }) => this.put(actor, table, row, options),
      delete: (table: string, id: string, options?: WriteOptions) => this.delete(actor, table, id, options),
      transaction: (writes: readonly RowWrite[], options?: WriteOptions) => this.transaction(actor, writes, options),
    };
  }
}
