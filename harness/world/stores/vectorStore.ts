// A vector store with deterministic embeddings: each text is embedded by hashing its words into a
// fixed number of dimensions (a bag of words, normalised), and queries rank by cosine similarity.
// It finds what shares words with the query, which is all a simulation needs, and never differs
// between runs.
import type { Actor } from '../../sim/actors.ts';
import { StoreBase, type WriteOptions } from './storeBase.ts';

const DIMENSIONS = 256;

interface Item {
  readonly text: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly embedding: Float64Array;
}

export interface Match {
  readonly id: string;
  readonly score: number;
  readonly text: string;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A unit vector for `text`: its lowercase words hashed (FNV-1a) into DIMENSIONS buckets. */
export function embed(text: string): Float64Array {
  const v = new Float64Array(DIMENSIONS);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
    const bucket = (h >>> 0) % DIMENSIONS;
    v[bucket] = (v[bucket] as number) + 1;
  }
  const norm = Math.hypot(...v);
  if (norm > 0) for (let i = 0; i < DIMENSIONS; i++) v[i] = (v[i] as number) / norm;
  return v;
}

function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  for (let i = 0; i < DIMENSIONS; i++) dot += (a[i] as number) * (b[i] as number);
  return dot;
}

export class VectorStore extends StoreBase<Item> {
  upsert(actor: Actor, id: string, text: string, metadata: Record<string, unknown> = {}, options?: WriteOptions): Promise<number> {
    return this.writeOp(actor, 'write', id, { text, metadata }, options, () => {
      const version = this.state.write(id, { text, metadata: structuredClone(metadata), embedding: embed(text) }, this.now);
      return { result: version, version, recorded: { text, metadata } };
    });
  }

  get(actor: Actor, id: string): Promise<{ text: string; metadata: Record<string, unknown> } | undefined> {
    return this.readOp(actor, 'read', id, (asOf) => {
      const v = this.state.read(id, asOf);
      const value = v?.value === undefined ? undefined : { text: v.value.text, metadata: structuredClone(v.value.metadata) as Record<string, unknown> };
      return { result: value, version: v?.version ?? 0 };
    });
  }

  /** The `k` items most similar to `text` (ties broken by id, so the order is stable). */
  query(actor: Actor, text: string, k = 5): Promise<Match[]> {
    return this.readOp(actor, 'query', '', (asOf) => {
      const q = embed(text);
      const matches = this.state
        .keys(asOf)
        .map((id) => {
          const item = this.state.read(id, asOf)?.value as Item;
          return { id, score: Math.round(cosine(q, item.embedding) * 1e6) / 1e6, text: item.text, metadata: structuredClone(item.metadata) };
        })
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
        .slice(0, k);
      return { result: matches, recorded: matches.map((m) => m.id) };
    });
  }

  delete(actor: Actor, id: string, options?: WriteOptions): Promise<number> {
    return this.writeOp(actor, 'delete', id, undefined, options, () => {
      const version = this.state.delete(id, this.now);
      return { result: version, version };
    });
  }

  client(actor: Actor) {
    return {
      upsert: (id: string, text: string, metadata?: Record<string, unknown>, options?: WriteOptions) => this.upsert(actor, id, text, metadata, options),
      get: (id: string) => this.get(actor, id),
      query: (text: string, k?: number) => this.query(actor, text, k),
      delete: (id: string, options?: WriteOptions) => this.delete(actor, id, options),
    };
  }
}
