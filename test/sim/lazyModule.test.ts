// Goal: a lazily loaded module is imported once, on load(), and a get() before it is a clear
// Faultline bug rather than an undefined. Method: a counting importer, and one that fails once.
import { describe, expect, it } from 'vitest';
import { isFaultlineError } from '../../harness/index.ts';
import { lazyModule } from '../../harness/sim/lazyModule.ts';

describe('lazyModule', () => {
  it('imports on the first load() only, and get() returns what it loaded', async () => {
    let imports = 0;
    const m = lazyModule('the answer', async () => {
      imports += 1;
      return { answer: 42 };
    });
    expect(imports).toBe(0);
    expect(m.loaded).toBe(false);
    const [a, b] = await Promise.all([m.load(), m.load()]);
    expect(a).toBe(b);
    expect(await m.load()).toBe(a);
    expect(m.get()).toBe(a);
    expect([imports, m.loaded]).toEqual([1, true]);
  });

  it('refuses get() before load() with a HARNESS_BUG error that names the module', () => {
    const m = lazyModule('The provider adapters', async () => ({}));
    let thrown: unknown;
    try {
      m.get();
    } catch (error) {
      thrown = error;
    }
    expect(isFaultlineError(thrown) && thrown.code).toBe('HARNESS_BUG');
    expect((thrown as Error).message).toContain('The provider adapters was used before it was loaded');
  });

  it('tries again after a failed import', async () => {
    let attempts = 0;
    const m = lazyModule('a flaky package', async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('not installed yet');
      return { ok: true };
    });
    await expect(m.load()).rejects.toThrow('not installed yet');
    expect(m.loaded).toBe(false);
    expect(await m.load()).toEqual({ ok: true });
    expect(attempts).toBe(2);
  });
});
