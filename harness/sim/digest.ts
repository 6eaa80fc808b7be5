// Digests of what an agent observed, for the trace: a difference in content (a prompt, a reply, a
// tool result, a stored value, a response body) is a difference in the trace hash, while the trace
// itself stays small and never holds the content (which may be private).
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson.ts';

/** Hex characters kept of a SHA-256: 64 bits, plenty to tell two contents of one run apart. */
const LENGTH = 16;

/** A short stable digest of a value's canonical JSON (key order does not matter). */
export function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, LENGTH);
}

/** A short stable digest of bytes or text (text is hashed as UTF-8). */
export function digestBytes(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, LENGTH);
}

/** An incremental digest, for bodies read in chunks. */
export class Digester {
  private readonly hash = createHash('sha256');
  bytes = 0;

  update(chunk: string | Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
  }

  /** The digest; call once. */
  digest(): string {
    return this.hash.digest('hex').slice(0, LENGTH);
  }
}
