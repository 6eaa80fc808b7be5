// node:crypto's random functions as a run sees them: drawn from the run's `agent:crypto` stream,
// so a seed gives the same UUIDs, bytes, integers, secret keys, primes and EC/EdDSA key pairs every
// time. Key generation that cannot be derived from a seed here (RSA, DSA, DH, safe primes) runs for
// real and is reported through `unseeded`, so the determinism check can name it.
import crypto, { type KeyObject } from 'node:crypto';
import type { BridgeTarget } from './builtinBridge.ts';
import { originalOf } from './builtinBridge.ts';
import type { RandomStream } from './rng.ts';
import { generateSeededPrime } from './seededPrime.ts';

/** What the seeded functions need from the run. */
export interface SeededCryptoContext {
  /** The run's `agent:crypto` stream (made on first use). */
  readonly stream: () => RandomStream;
  /** Records that agent code used a random source the seed does not reach. */
  readonly unseeded: (source: string) => void;
}

type Callback<T> = (error: Error | null, value?: T) => void;

/** The EC curves whose private keys can be drawn from a stream, by every name Node accepts. */
const CURVES: Readonly<Record<string, { readonly ecdh: string; readonly jwk: string; readonly bytes: number }>> = {
  'P-256': { ecdh: 'prime256v1', jwk: 'P-256', bytes: 32 },
  prime256v1: { ecdh: 'prime256v1', jwk: 'P-256', bytes: 32 },
  'P-384': { ecdh: 'secp384r1', jwk: 'P-384', bytes: 48 },
  secp384r1: { ecdh: 'secp384r1', jwk: 'P-384', bytes: 48 },
  'P-521': { ecdh: 'secp521r1', jwk: 'P-521', bytes: 66 },
  secp521r1: { ecdh: 'secp521r1', jwk: 'P-521', bytes: 66 },
  secp256k1: { ecdh: 'secp256k1', jwk: 'secp256k1', bytes: 32 },
};

/** PKCS #8 DER prefixes of the Edwards and Montgomery curves, before the raw private key. */
const OKP: Readonly<Record<string, { readonly prefix: string; readonly bytes: number }>> = {
  ed25519: { prefix: '302e020100300506032b657004220420', bytes: 32 },
  x25519: { prefix: '302e020100300506032b656e04220420', bytes: 32 },
  ed448: { prefix: '3047020100300506032b6571043b0439', bytes: 57 },
  x448: { prefix: '3046020100300506032b656f043a0438', bytes: 56 },
};

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** A seeded private key of `type` (and its public key), or undefined when the type cannot be seeded. */
export function seededKeyPair(stream: RandomStream, type: string, namedCurve: string | undefined): { privateKey: KeyObject; publicKey: KeyObject } | undefined {
  const okp = OKP[type.toLowerCase()];
  if (okp !== undefined) {
    const der = Buffer.concat([Buffer.from(okp.prefix, 'hex'), stream.fill(Buffer.alloc(okp.bytes))]);
    const privateKey = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    return { privateKey, publicKey: crypto.createPublicKey(privateKey) };
  }
  const curve = type === 'ec' && namedCurve !== undefined ? CURVES[namedCurve] : undefined;
  if (curve === undefined) return undefined;
  // A scalar below 2^(bits-1) is below every listed curve's order; zero is the one value to avoid.
  const d = stream.fill(Buffer.alloc(curve.bytes));
  d[0] = (d[0] as number) & (curve.bytes === 66 ? 0x00 : 0x7f);
  if (d.every((b) => b === 0)) d[curve.bytes - 1] = 1;
  const ecdh = crypto.createECDH(curve.ecdh);
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const half = (point.length - 1) / 2;
  const pub = { kty: 'EC', crv: curve.jwk, x: b64url(point.subarray(1, 1 + half)), y: b64url(point.subarray(1 + half)) };
  return {
    privateKey: crypto.createPrivateKey({ key: { ...pub, d: b64url(d) }, format: 'jwk' }),
    publicKey: crypto.createPublicKey({ key: pub, format: 'jwk' }),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: node:crypto's encodings are loosely typed.
type Encoding = any;

function exported(pair: { privateKey: KeyObject; publicKey: KeyObject }, options: { readonly [key: string]: Encoding } | undefined) {
  return {
    publicKey: options?.publicKeyEncoding === undefined ? pair.publicKey : pair.publicKey.export(options.publicKeyEncoding),
    privateKey: options?.privateKeyEncoding === undefined ? pair.privateKey : pair.privateKey.export(options.privateKeyEncoding),
  };
}

/** A secret key for generateKey('hmac' | 'aes', { length }) in bits, or undefined when the request is invalid. */
function secretKeyBytes(type: unknown, options: { length?: unknown } | undefined): number | undefined {
  const length = options?.length;
  if (typeof length !== 'number' || !Number.isInteger(length)) return undefined;
  if (type === 'aes' && (length === 128 || length === 192 || length === 256)) return length / 8;
  if (type === 'hmac' && length >= 8 && length <= 2 ** 31 - 1) return Math.floor(length / 8);
  return undefined;
}

/** Calls `callback` on the next tick, as Node's asynchronous crypto functions report. */
function later<T>(callback: Callback<T>, compute: () => T): void {
  let value: T;
  try {
    value = compute();
  } catch (error) {
    process.nextTick(callback, error as Error);
    return;
  }
  process.nextTick(callback, null, value);
}

/** The bridge entries of node:crypto for one run. */
export function seededCryptoTarget(context: SeededCryptoContext): BridgeTarget {
  const { stream, unseeded } = context;
  const fillRange = (buf: ArrayBufferView, offset = 0, size?: number) => {
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    stream().fill(bytes.subarray(offset, size === undefined ? undefined : offset + size));
    return buf;
  };
  const keyPairSync = (type: string, options?: { namedCurve?: string } & Record<string, unknown>) => {
    const pair = seededKeyPair(stream(), type, options?.namedCurve);
    if (pair === undefined) {
      unseeded(`crypto.generateKeyPair("${type}")`);
      return originalOf('crypto.generateKeyPairSync')(type, options);
    }
    return exported(pair, options);
  };
  const keySync = (type: string, options?: { length?: number }) => {
    const bytes = secretKeyBytes(type, options);
    if (bytes === undefined) return originalOf('crypto.generateKeySync')(type, options);
    return crypto.createSecretKey(stream().fill(Buffer.alloc(bytes)));
  };
  const primeSync = (size: number, options?: { safe?: boolean; add?: unknown; rem?: unknown; bigint?: boolean }) => {
    const prime = options?.safe || options?.add !== undefined || options?.rem !== undefined ? undefined : generateSeededPrime(stream(), size);
    if (prime === undefined) {
      unseeded('crypto.generatePrime (safe primes, add/rem)');
      return originalOf('crypto.generatePrimeSync')(size, options);
    }
    return options?.bigint === true ? prime : bigintToArrayBuffer(prime);
  };
  return {
    'crypto.randomUUID': () => stream().uuid(),
    'crypto.randomBytes': (size: number, callback?: Callback<Buffer>) => {
      if (!Number.isSafeInteger(size) || size < 0) return originalOf('crypto.randomBytes')(size, callback);
      const buf = stream().fill(Buffer.alloc(size));
      if (callback === undefined) return buf;
      process.nextTick(callback, null, buf);
      return undefined;
    },
    'crypto.randomFillSync': (buf: ArrayBufferView, offset?: number, size?: number) => fillRange(buf, offset, size),
    'crypto.randomFill': (buf: ArrayBufferView, ...rest: unknown[]) => {
      const callback = rest.pop() as Callback<ArrayBufferView>;
      if (typeof callback !== 'function') return originalOf('crypto.randomFill')(buf, ...rest, callback);
      later(callback, () => fillRange(buf, rest[0] as number | undefined, rest[1] as number | undefined));
      return undefined;
    },
    'crypto.randomInt': (...args: unknown[]) => {
      const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as Callback<number>) : undefined;
      const [min, max] = args.length === 1 ? [0, args[0]] : args;
      if (!(Number.isSafeInteger(min) && Number.isSafeInteger(max) && (max as number) > (min as number) && (max as number) - (min as number) < 2 ** 48)) {
        return originalOf('crypto.randomInt')(...args, ...(callback === undefined ? [] : [callback]));
      }
      const value = (min as number) + Math.floor(stream().next() * ((max as number) - (min as number)));
      if (callback === undefined) return value;
      process.nextTick(callback, null, value);
      return undefined;
    },
    'crypto.generateKeyPairSync': keyPairSync,
    'crypto.generateKeyPair': (type: string, options: Record<string, unknown> | undefined, callback: Callback<unknown>) => {
      if (typeof callback !== 'function') return originalOf('crypto.generateKeyPair')(type, options, callback);
      const pair = seededKeyPair(stream(), type, options?.namedCurve as string | undefined);
      if (pair === undefined) {
        unseeded(`crypto.generateKeyPair("${type}")`);
        return originalOf('crypto.generateKeyPair')(type, options, callback);
      }
      let out: { publicKey: unknown; privateKey: unknown };
      try {
        out = exported(pair, options);
      } catch (error) {
        process.nextTick(callback, error as Error);
        return undefined;
      }
      process.nextTick(() => (callback as (e: null, pub: unknown, priv: unknown) => void)(null, out.publicKey, out.privateKey));
      return undefined;
    },
    'crypto.generateKeySync': keySync,
    'crypto.generateKey': (type: string, options: { length?: number }, callback: Callback<KeyObject>) => {
      if (typeof callback !== 'function' || secretKeyBytes(type, options) === undefined) return originalOf('crypto.generateKey')(type, options, callback);
      later(callback, () => keySync(type, options));
      return undefined;
    },
    'crypto.generatePrimeSync': primeSync,
    'crypto.generatePrime': (size: number, ...rest: unknown[]) => {
      const callback = rest.pop() as Callback<unknown>;
      const options = rest[0] as Parameters<typeof primeSync>[1];
      if (typeof callback !== 'function') return originalOf('crypto.generatePrime')(size, ...rest, callback);
      later(callback, () => primeSync(size, options));
      return undefined;
    },
  };
}

function bigintToArrayBuffer(value: bigint): ArrayBuffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
