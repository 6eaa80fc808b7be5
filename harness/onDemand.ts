// The heavy parts of the harness, loaded when first needed rather than when Faultline is imported:
// most before a run whose options use them. Importing everything took 1–2 s on a shared 2-core
// machine (bench/startup.ts), paid by every worker thread of a check, every `faultline` command
// and every program that imports the package, whether or not its runs corrupt a fact, serve a
// model or an MCP server, or use global mode. Each part is loaded once per process, always outside
// a run (sim/lazyModule.ts says why).
import type { SimulateOptions } from './options.ts';
import { type LazyModule, lazyModule } from './sim/lazyModule.ts';

/** @faker-js/faker (every locale's data): the replacement facts of `corrupt`, and scenario workloads. */
export const fakerLibrary: LazyModule<typeof import('@faker-js/faker')> = lazyModule('@faker-js/faker', () => import('@faker-js/faker'));

/** The provider wire formats (adapters/, with the AWS event-stream codec): runs with `llm.models`. */
export const providerAdapters: LazyModule<typeof import('../adapters/routes.ts')> = lazyModule(
  'The provider adapters (adapters/routes.ts)',
  () => import('../adapters/routes.ts'),
);

/** The MCP SDK's transports and the connections and endpoints built on them: runs with `mcp` servers. */
export const mcpTransports: LazyModule<typeof import('./world/mcp/transports.ts')> = lazyModule(
  'The MCP transports (harness/world/mcp/transports.ts)',
  () => import('./world/mcp/transports.ts'),
);

/** msw's setupServer and its node:http(s) interceptors: runs with `network: 'global'`. */
export const mswNode: LazyModule<typeof import('msw/node')> = lazyModule('msw/node', () => import('msw/node'));

/** The yaml library: scenario files, loaded by loadScenarioFile before it parses one. */
export const yamlLibrary: LazyModule<typeof import('yaml')> = lazyModule('yaml', () => import('yaml'));

const hasEntries = (value: unknown): boolean => typeof value === 'object' && value !== null && Object.keys(value).length > 0;

/**
 * Loads the parts `options` use, before the run starts. It reads the options as given, before
 * simulate() validates them, so it never throws on bad ones and may load a part that an invalid
 * option would have used; what it loads is never less than what the run needs.
 */
export async function loadOnDemand(options: SimulateOptions): Promise<void> {
  const faults: unknown = options.faults;
  const needed = [
    hasEntries(options.llm?.models) && providerAdapters,
    hasEntries(options.mcp) && mcpTransports,
    options.network === 'global' && mswNode,
    Array.isArray(faults) && faults.some((rule: unknown) => (rule as { kind?: unknown } | null)?.kind === 'corrupt') && fakerLibrary,
  ];
  const loads = needed.flatMap((part) => (part === false || part.loaded ? [] : [part.load()]));
  if (loads.length > 0) await Promise.all(loads);
}
