// Properties by name, for scenario files: `properties: [noDeadlock, { boundedSpend: { usd: 0.05 } }]`.
// Each entry says what parameters it takes, so a file with a misspelt or mistyped parameter is
// rejected with the field and the expected shape.
import { z } from 'zod';
import {
  boundedSpend,
  boundedWork,
  consistentStores,
  eventuallyConverges,
  gracefulDegradation,
  linearizable,
  noDeadlock,
  noLostUpdates,
  noMixedVersions,
  noSilentCorruption,
  traceComplete,
} from '../check/properties/index.ts';
import type { Property } from '../check/properties/property.ts';

const count = z.number().int().min(0);
const amount = z.number().min(0);
const consistency = z.object({ stores: z.array(z.string().min(1)).optional(), outbox: z.string().min(1).optional() }).strict();

interface Entry<P extends z.ZodType> {
  readonly params: P;
  readonly make: (params: z.output<P>) => Property;
}

const entry = <P extends z.ZodType>(params: P, make: (params: z.output<P>) => Property): Entry<P> => ({ params, make });
const none = z.object({}).strict();

export const propertyRegistry = {
  gracefulDegradation: entry(
    z
      .object({
        withinMs: count.optional(),
        fallbacks: z
          .array(z.array(z.string().min(1)).min(2))
          .optional()
          .describe('Groups of interchangeable call targets (llm:gpt-4o-mini, http:api.openai.com, tool:search; globs allowed)'),
      })
      .strict(),
    (p) => gracefulDegradation(stripUndefined(p)),
  ),
  noDeadlock: entry(none, () => noDeadlock()),
  boundedSpend: entry(z.object({ usd: amount.optional(), tokens: count.optional(), llmCalls: count.optional() }).strict(), (p) =>
    boundedSpend(stripUndefined(p)),
  ),
  boundedWork: entry(z.object({ actors: count.optional(), spawnDepth: count.optional(), queueDepth: count.optional() }).strict(), (p) =>
    boundedWork(stripUndefined(p)),
  ),
  consistentStores: entry(consistency, (p) => consistentStores(stripUndefined(p))),
  eventuallyConverges: entry(consistency, (p) => eventuallyConverges(stripUndefined(p))),
  noLostUpdates: entry(none, () => noLostUpdates()),
  linearizable: entry(z.object({ maxStatesPerPartition: z.number().int().positive().optional() }).strict(), (p) => linearizable(stripUndefined(p))),
  noSilentCorruption: entry(z.object({ sinks: z.array(z.string().min(1)).min(1).optional() }).strict(), (p) => noSilentCorruption(stripUndefined(p))),
  noMixedVersions: entry(none, () => noMixedVersions()),
  traceComplete: entry(none, () => traceComplete()),
} as const;

export type PropertyName = keyof typeof propertyRegistry;

export const propertyNames = Object.keys(propertyRegistry) as PropertyName[];

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
