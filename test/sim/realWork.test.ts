// Goal: real asynchronous work an agent awaits during a run (files, DNS, crypto and compression
// jobs, child processes, worker threads, module loads) is waited for without moving virtual time,
// so one seed gives one outcome and one trace hash whatever the machine's load; work that never
// finishes ends the run by the wall-clock limit, named; and nothing the run started outlives it.
// Method: each kind of work between two world.sleep calls, repeated, with and without CPU stress.
import { exec, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import dns from 'node:dns';
import fs, { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate, type World } from '../../harness/index.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'faultline-realwork-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let modules = 0;

const kinds: Record<string, () => Promise<unknown>> = {
  'fs.promises.stat': () => fs.promises.stat(here),
  'fs.readFile (callback)': () =>
    new Promise((resolve, reject) => fs.readFile(path.join(here, 'realWork.test.ts'), (e, b) => (e ? reject(e) : resolve(b.length)))),
  // A FileHandle's close is a request of its own (an SDK loading its config files does this).
  'fs.promises.readFile (open, read, close)': () => fs.promises.readFile(path.join(here, 'realWork.test.ts'), 'utf8').then((t) => t.length > 0),
  'crypto.subtle.importKey and sign (request signing)': async () => {
    const key = await crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return (await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('payload'))).byteLength;
  },
  'crypto.subtle.digest': () => crypto.subtle.digest('SHA-256', new Uint8Array(1 << 16)),
  'crypto.pbkdf2': () => new Promise((resolve) => crypto.pbkdf2('pw', 'salt', 20_000, 32, 'sha256', (_e, key) => resolve(key.length))),
  'zlib.gzip': () => new Promise((resolve) => zlib.gzip(Buffer.alloc(1 << 18), (_e, out) => resolve(out.length))),
  'dns.lookup': () => dns.promises.lookup('localhost'),
  'child_process.exec': () => new Promise((resolve) => exec('echo hi', (_e, out) => resolve(out.trim()))),
  'a worker thread': () =>
    new Promise((resolve) => {
      const worker = new Worker('require("node:worker_threads").parentPort.postMessage(6 * 7)', { eval: true });
      worker.once('message', (n) => void worker.terminate().then(() => resolve(n)));
    }),
  // vitest rewrites import() in the files it transforms into a call to its own module runner,
  // which Node does not list; the run loop's stuck grace covers it. Node's own loader is tested
  // below, in a child process.
  'a dynamic import (vitest)': async () => {
    const file = path.join(tmp, `m${modules++}.mjs`);
    writeFileSync(file, 'export const answer = 42;');
    return ((await import(pathToFileURL(file).href)) as { answer: number }).answer;
  },
};

const between = (work: () => Promise<unknown>) => async (w: World) => {
  await w.sleep(5);
  const value = await work();
  await w.sleep(5);
  return { value: typeof value === 'object' ? 'object' : value, t: w.now() };
};

describe('real work is waited for, not mistaken for idleness', () => {
  for (const [name, work] of Object.entries(kinds)) {
    it(`${name}: one outcome, one trace hash, no virtual time`, async () => {
      const hashes = new Set<string>();
      for (let i = 0; i < 8; i++) {
        const r = await simulate(between(work), { seed: 3 });
        expect(r.outcome, r.message).toBe('ok');
        expect((r.value as { t: number }).t).toBe(10);
        hashes.add(r.traceHash);
      }
      expect(hashes.size).toBe(1);
    });
  }

  it("a dynamic import through Node's own loader", () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, '../fixtures/dynamicImportRuns.ts')], { encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}'), child.stderr).toEqual({ outcomes: ['ok:52'], hashes: 1 });
  });

  it('under CPU stress, over many runs of several kinds at once', async () => {
    const stress = [0, 1].map(() => new Worker('const end = Date.now() + 60_000; while (Date.now() < end) {}', { eval: true }));
    try {
      const agent = async (w: World) => {
        const [a, b] = await Promise.all([
          w.spawn('reader', between(kinds['fs.promises.stat'] as () => Promise<unknown>)),
          w.spawn('hasher', between(kinds['crypto.subtle.digest'] as () => Promise<unknown>)),
        ]);
        await kinds['fs.readFile (callback)']?.();
        return [a, b];
      };
      const hashes = new Set<string>();
      for (let i = 0; i < 40; i++) {
        const r = await simulate(agent, { seed: 9 });
        expect(r.outcome, r.message).toBe('ok');
        hashes.add(r.traceHash);
      }
      expect(hashes.size).toBe(1);
    } finally {
      await Promise.all(stress.map((s) => s.terminate()));
    }
  });
});

describe('real work that does not finish', () => {
  it('ends the run at the wall-clock limit, naming it', async () => {
    const r = await simulate(
      async (w) => {
        await w.sleep(1);
        await new Promise((resolve) => new Worker('setInterval(() => {}, 1000)', { eval: true }).once('message', resolve));
      },
      { limits: { wallClockMs: 300 } },
    );
    expect(r.outcome).toBe('timeout');
    expect(r.message).toMatch(/waited 300ms of real time .* for real work outside the world that did not finish: a worker thread/);
  });

  it('is not waited for when the agent unrefs it, and is stopped when the run ends', async () => {
    let worker: Worker | undefined;
    const r = await simulate(async (w) => {
      worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
      worker.unref();
      await w.sleep(10);
      return 'left it running';
    });
    expect(r.outcome, r.message).toBe('ok');
    const exited = await new Promise<boolean>((resolve) => {
      worker?.once('exit', () => resolve(true));
      setTimeout(() => resolve(false), 5_000);
    });
    expect(exited).toBe(true);
  });

  it('a child process left running is killed when the run ends', async () => {
    let pid: number | undefined;
    const r = await simulate(async () => {
      pid = exec('sleep 30').pid;
      return 'started';
    });
    expect(r.outcome).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(() => process.kill(pid as number, 0)).toThrow();
  });
});
