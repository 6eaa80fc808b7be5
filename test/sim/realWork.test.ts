// Goal: real work outside the world is not idle (DESIGN.md, rule 7): an agent awaiting a file read,
// a DNS lookup or a Web Crypto operation (an SDK loading its config files, signing its request) is
// waited for without moving virtual time, instead of being taken for a deadlock. Method: agents
// that await such work between world calls; the outcome, the virtual time and the trace hash.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../harness/index.ts';
import { expectDeterministic } from '../helpers/determinism.ts';

describe('real work during a run', () => {
  it('a file read in flight is waited for, and virtual time does not move', async () => {
    const r = await expectDeterministic(
      (seed) =>
        simulate(
          async (world) => {
            await world.sleep(100);
            const text = await readFile(new URL(import.meta.url), 'utf8');
            const at = world.now();
            await world.sleep(100);
            return { length: text.length > 0, at };
          },
          { seed },
        ),
      1,
    );
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toEqual({ length: true, at: 100 });
    expect(r.virtualTimeMs).toBe(200);
  });

  it('a Web Crypto signature in flight is waited for', async () => {
    const r = await simulate(async () => {
      const key = await crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('payload'));
      return signature.byteLength;
    });
    expect(r.outcome, r.message).toBe('ok');
    expect(r.value).toBe(32);
  });

  it('a promise nothing will ever settle is still a deadlock', async () => {
    const r = await simulate(() => new Promise(() => undefined));
    expect(r.outcome).toBe('deadlock');
  });
});
