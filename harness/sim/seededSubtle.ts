// crypto.subtle.generateKey as a run sees it: secret keys (HMAC, AES) and EC / EdDSA / X25519 key
// pairs come from the run's seeded stream, imported through the real Web Crypto so they behave as
// generated ones. RSA key pairs are generated for real and reported as unseeded.
import { webcrypto } from 'node:crypto';
import type { RandomStream } from './rng.ts';
import { seededKeyPair } from './seededCrypto.ts';

type Algorithm = { name: string; length?: number; hash?: string | { name: string }; namedCurve?: string };
type Generate = (algorithm: unknown, extractable: boolean, usages: readonly string[]) => Promise<unknown>;

const HMAC_BLOCK_BITS: Readonly<Record<string, number>> = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };
const AES = new Set(['AES-GCM', 'AES-CBC', 'AES-CTR', 'AES-KW']);
/** Key-pair algorithms: the curve type for seededKeyPair, and the usages of each half. */
const PAIRS: Readonly<Record<string, { readonly type: (a: Algorithm) => [string, string | undefined]; readonly priv: string[]; readonly pub: string[] }>> = {
  ECDSA: { type: (a) => ['ec', a.namedCurve], priv: ['sign'], pub: ['verify'] },
  ECDH: { type: (a) => ['ec', a.namedCurve], priv: ['deriveKey', 'deriveBits'], pub: [] },
  ED25519: { type: () => ['ed25519', undefined], priv: ['sign'], pub: ['verify'] },
  ED448: { type: () => ['ed448', undefined], priv: ['sign'], pub: ['verify'] },
  X25519: { type: () => ['x25519', undefined], priv: ['deriveKey', 'deriveBits'], pub: [] },
  X448: { type: () => ['x448', undefined], priv: ['deriveKey', 'deriveBits'], pub: [] },
};

const hashName = (hash: Algorithm['hash']): string => (typeof hash === 'string' ? hash : (hash?.name ?? '')).toUpperCase();

/**
 * A seeded generateKey, or the original one for algorithms and parameters it does not derive
 * (those are reported through `unseeded`). Invalid requests go to the original, which rejects them.
 */
export function seededGenerateKey(original: Generate, stream: () => RandomStream, unseeded: (source: string) => void): Generate {
  const subtle = webcrypto.subtle;
  return async function generateKey(this: unknown, algorithm, extractable, usages) {
    const alg = (typeof algorithm === 'string' ? { name: algorithm } : algorithm) as Algorithm | null | undefined;
    const name = typeof alg?.name === 'string' ? alg.name.toUpperCase() : '';
    const real = () => original.call(this, algorithm, extractable, usages);
    if (alg === null || alg === undefined || !Array.isArray(usages)) return real();
    if (name === 'HMAC') {
      const bits = alg.length ?? HMAC_BLOCK_BITS[hashName(alg.hash)];
      if (typeof bits !== 'number' || !Number.isInteger(bits) || bits <= 0 || bits % 8 !== 0) return real();
      const bytes = stream().fill(new Uint8Array(bits / 8));
      return subtle.importKey('raw', bytes, { name: 'HMAC', hash: alg.hash as string, length: bits }, extractable, usages as KeyUsage[]);
    }
    if (AES.has(name)) {
      if (alg.length !== 128 && alg.length !== 192 && alg.length !== 256) return real();
      return subtle.importKey('raw', stream().fill(new Uint8Array(alg.length / 8)), { name }, extractable, usages as KeyUsage[]);
    }
    const pair = PAIRS[name];
    if (pair === undefined) {
      unseeded(`crypto.subtle.generateKey("${alg.name}")`);
      return real();
    }
    const [type, curve] = pair.type(alg);
    const keys = seededKeyPair(stream(), type, curve);
    if (keys === undefined) return real();
    const imported = { ...alg, name: alg.name } as unknown as EcKeyImportParams;
    const privateJwk = keys.privateKey.export({ format: 'jwk' });
    const publicJwk = keys.publicKey.export({ format: 'jwk' });
    const privateKey = await subtle.importKey('jwk', privateJwk, imported, extractable, usages.filter((u) => pair.priv.includes(u)) as KeyUsage[]);
    const publicKey = await subtle.importKey('jwk', publicJwk, imported, true, usages.filter((u) => pair.pub.includes(u)) as KeyUsage[]);
    return { publicKey, privateKey };
  };
}
