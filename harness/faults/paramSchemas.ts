// Parameter shapes several fault kinds share: whole virtual milliseconds and latency models.
import { z } from 'zod';

/** A whole number of virtual milliseconds, at least 0. */
export const ms = z.number().int().min(0);

/** A latency distribution (harness/sim/latency.ts), in whole virtual milliseconds. */
export const latencyModel = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), ms }).strict(),
  z.object({ kind: z.literal('uniform'), minMs: ms, maxMs: ms }).strict(),
  z.object({ kind: z.literal('lognormal'), medianMs: ms, sigma: z.number().min(0), maxMs: ms.optional() }).strict(),
  z.object({ kind: z.literal('pareto'), minMs: ms, alpha: z.number().positive(), maxMs: ms.optional() }).strict(),
]);

/** A params object whose fields all have defaults: `params` may be left out of the rule. */
export function withDefaults<S extends z.ZodRawShape>(shape: S) {
  const object = z.object(shape).strict();
  return object.default(object.parse({}) as never);
}

/** Params for a kind that takes none. */
export const none = z.object({}).strict().default({});
