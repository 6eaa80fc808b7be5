// Goal: importing Faultline loads none of its on-demand parts (the faker, the provider adapters, the
// MCP SDK, msw/node, yaml); a run loads the parts its options use before it starts, so the first run
// that needs one traces exactly as the runs after it. Method: a child process that imports the
// package's entries with a module hook listing every module it resolves, and, in this file's own
// process (vitest gives each test file a fresh one), runs before and after each part is loaded.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, simulate, type World } from '../harness/index.ts';
import { fakerLibrary, mcpTransports, mswNode, providerAdapters, yamlLibrary } from '../harness/onDemand.ts';

const PARTS = { fakerLibrary, providerAdapters, mcpTransports, mswNode, yamlLibrary };
const loadedParts = () => Object.entries(PARTS).flatMap(([name, part]) => (part.loaded ? [name] : []));

// Prints every URL the ESM loader resolves, one per line on stderr.
const HOOKS = `export async function resolve(specifier, context, next) { const r = await next(specifier, context); console.error('resolved ' + r.url); return r; }`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

function resolvedBy(entries: readonly string[]): string[] {
  const code = entries.map((e) => `await import(${JSON.stringify(e)});`).join('\n');
  const out = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, '--input-type=module', '-e', code],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  expect(out.status, out.stderr).toBe(0);
  return out.stderr.split('\n').flatMap((line) => (line.startsWith('resolved ') ? [line.slice('resolved '.length)] : []));
}

const lookup = defineTool({
  name: 'lookup_order',
  description: 'Finds an order by id',
  input: z.object({ orderId: z.string() }),
  handler: ({ orderId }) => ({ orderId, customer: 'Ada Lovelace', total: 120.5 }),
});
const agent = async (world: World) => world.tools.call('lookup_order', { orderId: 'A-7' });

describe('on-demand parts', () => {
  it('are not loaded by importing the package, its worker module or the CLI', () => {
    const urls = resolvedBy(['./harness/index.ts', './harness/runWorker.ts', './harness/cli/main.ts']);
    expect(urls.some((u) => u.endsWith('/harness/index.ts'))).toBe(true);
    const heavy = urls.filter((u) => /\/node_modules\/(@faker-js\/faker|@modelcontextprotocol\/sdk|yaml)\/|\/msw\/lib\/node\/|\/adapters\/routes\.ts$/.test(u));
    expect(heavy).toEqual([]);
  });

  it('are not loaded by a run that uses none of them', async () => {
    const r = await simulate(async (world) => world.sleep(10));
    expect(r.outcome).toBe('ok');
    expect(loadedParts()).toEqual([]);
  });

  it('load before the first run that needs them, which traces as the next run with the same seed does', async () => {
    const options = { seed: 4, tools: [lookup], faults: [{ target: 'tool:lookup_order', kind: 'corrupt' as const }] };
    const first = await simulate(agent, options);
    expect(loadedParts()).toEqual(['fakerLibrary']);
    expect(first.trace.some((e) => e.type === 'mark' && e.name === 'taint')).toBe(true);
    const second = await simulate(agent, options);
    expect(second.traceHash).toBe(first.traceHash);
  });
});
