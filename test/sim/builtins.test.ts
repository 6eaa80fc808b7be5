// Goal: every clock and random source an agent can reach through Node's builtins is virtual or
// seeded during a run, including functions imported by name (bound when the importing module
// loads), and each is the real one again outside runs. Method: draw from each inside two runs of
// one seed and of another seed, and outside runs.
import crypto, { generateKeyPairSync, generatePrimeSync, randomFill, randomInt } from 'node:crypto';
import os, { uptime as importedOsUptime } from 'node:os';
import { performance as perfHooks } from 'node:perf_hooks';
import { setInterval as namedSetInterval, setTimeout as namedSetTimeout } from 'node:timers';
import { setImmediate as promisedImmediate, setTimeout as promisedTimeout } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { simulate, type World } from '../../harness/index.ts';

const realSetTimeout = globalThis.setTimeout;
const firesForReal = () =>
  new Promise<boolean>((resolve) => {
    namedSetTimeout(() => resolve(true), 5);
    realSetTimeout(() => resolve(false), 1_000);
  });

describe('timers imported by name', () => {
  it('run in virtual time during every run, and in real time between runs', async () => {
    expect(await firesForReal()).toBe(true);
    for (let run = 0; run < 3; run++) {
      const r = await simulate(async (w) => {
        await new Promise((resolve) => namedSetTimeout(resolve, 60_000));
        let ticks = 0;
        await new Promise<void>((resolve) => {
          const id = namedSetInterval(() => {
            if (++ticks === 3) {
              clearInterval(id);
              resolve();
            }
          }, 1_000);
        });
        await promisedTimeout(500);
        await promisedImmediate();
        return w.now();
      });
      expect(r.outcome).toBe('ok');
      expect(r.value).toBe(63_500);
      expect(await firesForReal()).toBe(true);
    }
  });
});

describe('clocks outside fake-timers', () => {
  const clocks = async (w: World) => {
    const before = [
      process.uptime(),
      os.uptime(),
      importedOsUptime(),
      perfHooks.eventLoopUtilization().idle,
      (globalThis.performance as unknown as typeof perfHooks).eventLoopUtilization().idle,
      new Intl.DateTimeFormat('en-GB').format(),
    ];
    await w.sleep(3 * 3_600_000);
    const after = [process.uptime(), os.uptime(), new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC' }).formatToParts()[0]?.value];
    return { before, after };
  };

  it('read virtual time, the same in every run', async () => {
    const a = await simulate(clocks, { seed: 1 });
    const b = await simulate(clocks, { seed: 2 });
    expect(a.outcome).toBe('ok');
    expect(b.value).toEqual(a.value);
    expect(a.value?.before).toEqual([0, 86_400, 86_400, 0, 0, '01/01/2025']);
    expect(a.value?.after).toEqual([10_800, 86_400 + 10_800, '01']);
  });

  it('and the real clocks outside runs', () => {
    expect(process.uptime()).toBeGreaterThan(0);
    expect(new Intl.DateTimeFormat('en-US', { year: 'numeric' }).format()).not.toBe('2025');
  });
});

describe('node:crypto randomness', () => {
  const draw = async () => {
    const viaCallback = await new Promise<string>((resolve, reject) =>
      randomFill(new Uint8Array(8), (error, buf) => (error ? reject(error) : resolve(Buffer.from(buf).toString('hex')))),
    );
    const intViaCallback = await new Promise<number>((resolve) => crypto.randomInt(1_000_000, (_e, n) => resolve(n)));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const pem = generateKeyPairSync('x25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const ecAsync = await new Promise<string>((resolve, reject) =>
      crypto.generateKeyPair('ec', { namedCurve: 'secp256k1' }, (error, pub) => (error ? reject(error) : resolve(String(pub.export({ format: 'jwk' }).x)))),
    );
    const hmac = crypto.generateKeySync('hmac', { length: 256 }).export().toString('hex');
    const prime = generatePrimeSync(256, { bigint: true });
    return { ints: [randomInt(10, 1_000_000), intViaCallback], viaCallback, ec, ed, pem: pem.publicKey, ecAsync, hmac, prime: prime.toString(16) };
  };

  it('is seeded: the same seed draws the same values, another seed others', async () => {
    const a = await simulate(draw, { seed: 1 });
    const b = await simulate(draw, { seed: 1 });
    const c = await simulate(draw, { seed: 2 });
    expect(a.outcome, a.message).toBe('ok');
    expect(b.value).toEqual(a.value);
    expect(c.value?.ec).not.toEqual(a.value?.ec);
    expect(c.value?.prime).not.toEqual(a.value?.prime);
    expect(crypto.checkPrimeSync(BigInt(`0x${a.value?.prime}`))).toBe(true);
    expect(BigInt(`0x${a.value?.prime}`).toString(2)).toHaveLength(256);
    expect(a.trace.some((e) => e.type === 'mark' && e.name === 'unseeded')).toBe(false);
  });

  it('makes keys that work: a seeded EC key signs, and its public key verifies', async () => {
    const r = await simulate(() => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
      const signature = crypto.sign('sha384', Buffer.from('hello'), privateKey);
      return crypto.verify('sha384', Buffer.from('hello'), publicKey, signature);
    });
    expect(r.value).toBe(true);
  });

  it('names what it cannot seed (RSA key generation) in the trace', async () => {
    const r = await simulate(() => generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.asymmetricKeyType);
    expect(r.value).toBe('rsa');
    expect(r.trace.filter((e) => e.type === 'mark' && e.name === 'unseeded').map((e) => (e as { data?: { source?: string } }).data?.source)).toEqual([
      'crypto.generateKeyPair("rsa")',
    ]);
  });

  it('is real again outside runs', async () => {
    await simulate(draw, { seed: 1 });
    expect(randomInt(0, 2 ** 40)).not.toBe(randomInt(0, 2 ** 40));
    const k = () => generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x;
    expect(k()).not.toBe(k());
  });
});

describe('crypto.subtle.generateKey', () => {
  const subtleDraw = async () => {
    const subtle = globalThis.crypto.subtle;
    const hmac = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign', 'verify']);
    const aes = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
    const ecdsa = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    return {
      hmac: Buffer.from(await subtle.exportKey('raw', hmac)).toString('hex'),
      aes: Buffer.from(await subtle.exportKey('raw', aes)).toString('hex'),
      ecdsa: (await subtle.exportKey('jwk', ecdsa.privateKey)).d,
      usages: [ecdsa.privateKey.usages, ecdsa.publicKey.usages],
    };
  };

  it('derives secret keys and EC key pairs from the seed', async () => {
    const a = await simulate(subtleDraw, { seed: 5 });
    const b = await simulate(subtleDraw, { seed: 5 });
    const c = await simulate(subtleDraw, { seed: 6 });
    expect(a.outcome, a.message).toBe('ok');
    expect(b.value).toEqual(a.value);
    expect(c.value?.ecdsa).not.toBe(a.value?.ecdsa);
    expect(a.value?.hmac).toHaveLength(128);
    expect(a.value?.usages).toEqual([['sign'], ['verify']]);
  });
});
