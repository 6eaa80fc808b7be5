// node:crypto's randomUUID, randomBytes and randomFillSync are often imported by name
// (`import { randomUUID } from 'node:crypto'`). An ESM named import of a builtin only sees a
// replaced function after `syncBuiltinESMExports()`, a walk over every loaded builtin that costs more
// than the rest of a run's setup put together. So these three are bridged once per process instead
// of patched per run: each becomes a forwarding function that calls the original, unless a run is
// in progress, in which case it draws from the run's seeded stream. Outside runs they behave
// exactly as the originals (test/sim/globals.test.ts checks this).
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import type { RandomStream } from './rng.ts';

let source: RandomStream | undefined;
let bridged = false;

/** Sets (or, with undefined, clears) the stream node:crypto draws from. Bridges on first use. */
export function setNodeCryptoSource(stream: RandomStream | undefined): void {
  if (!bridged) bridge();
  source = stream;
}

function bridge(): void {
  bridged = true;
  const original = {
    randomUUID: crypto.randomUUID,
    randomBytes: crypto.randomBytes,
    randomFillSync: crypto.randomFillSync,
  };
  const forward = <K extends keyof typeof original>(key: K, simulated: (s: RandomStream, ...args: never[]) => unknown): void => {
    const fn = function (this: unknown, ...args: never[]): unknown {
      if (source === undefined) return (original[key] as (...a: never[]) => unknown).apply(this, args);
      return simulated(source, ...args);
    };
    Object.defineProperty(fn, 'name', { value: key });
    (crypto as unknown as Record<string, unknown>)[key] = fn;
  };
  forward('randomUUID', (s) => s.uuid());
  forward('randomBytes', (s, size: number, callback?: (err: Error | null, buf: Buffer) => void) => {
    const buf = s.fill(Buffer.alloc(size));
    if (callback === undefined) return buf;
    process.nextTick(callback, null, buf);
    return undefined;
  });
  forward('randomFillSync', (s, buf: ArrayBufferView, offset = 0, size?: number) => {
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    s.fill(bytes.subarray(offset, size === undefined ? undefined : offset + size));
    return buf;
  });
  syncBuiltinESMExports();
}
