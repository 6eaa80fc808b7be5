// Random primes drawn from a seeded stream: odd candidates of exactly `bits` bits, sieved by small
// primes, then tested by OpenSSL (crypto.checkPrimeSync). Used for crypto.generatePrime during a run.
import crypto from 'node:crypto';
import type { RandomStream } from './rng.ts';

// Found in numbers, then made bigints: trial division in bigints took ~9 ms of every import.
const SMALL_PRIMES: readonly bigint[] = (() => {
  const out: number[] = [];
  for (let n = 3; out.length < 300; n += 2) {
    if (out.every((p) => n % p !== 0)) out.push(n);
  }
  return out.map(BigInt);
})();

/** Candidates tried before giving up (a 4096-bit prime needs about 1,400 on average). */
const MAX_CANDIDATES = 100_000;

/** A prime of exactly `bits` bits drawn from `stream`, or undefined for sizes that have no such odd prime. */
export function generateSeededPrime(stream: RandomStream, bits: number): bigint | undefined {
  if (!Number.isSafeInteger(bits) || bits < 3 || bits > 8192) return undefined;
  const bytes = Math.ceil(bits / 8);
  const excess = BigInt(bytes * 8 - bits);
  const top = 1n << BigInt(bits - 1);
  for (let i = 0; i < MAX_CANDIDATES; i++) {
    const raw = BigInt(`0x${stream.fill(Buffer.alloc(bytes)).toString('hex')}`) >> excess;
    const candidate = raw | top | 1n;
    if (SMALL_PRIMES.some((p) => candidate !== p && candidate % p === 0n)) continue;
    if (crypto.checkPrimeSync(candidate)) return candidate;
  }
  return undefined;
}
