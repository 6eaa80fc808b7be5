// The scenario file format (YAML or JSON), as a zod schema. `scenarios/scenario.schema.json` is
// generated from it (`npm run schema`) so that editors can autocomplete and check scenario files.
import { z } from 'zod';
import { faultRuleSchema } from '../faults/plan.ts';
import { propertyNames } from './propertyRegistry.ts';

/** `path/to/module.ts#exportName`, relative to the scenario file. */
export const moduleRef = z
  .string()
  .regex(/^[^#\s]+#[A-Za-z_$][\w$]*$/, 'expected a module reference "path/to/module.ts#exportName"')
  .describe('A module export: "path/to/module.ts#exportName", relative to this file');

const ms = z.number().int().min(0);
const latency = z.union([
  z.object({ kind: z.literal('fixed'), ms }).strict(),
  z.object({ kind: z.literal('uniform'), minMs: ms, maxMs: ms }).strict(),
  z.object({ kind: z.literal('lognormal'), medianMs: ms, sigma: z.number().min(0), maxMs: ms.optional() }).strict(),
  z.object({ kind: z.literal('pareto'), minMs: ms, alpha: z.number().positive(), maxMs: ms.optional() }).strict(),
]);

const reply = z.union([
  z.string(),
  z
    .object({
      text: z.string().optional(),
      toolCalls: z.array(z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) }).strict()).optional(),
    })
    .strict(),
]);

const model = z.union([
  moduleRef.describe('A brain exported by a module'),
  z.object({ script: z.array(reply).min(1).describe('Replies in order, one per call') }).strict(),
  z.object({ cassette: z.string().min(1).describe('A cassette JSON file, relative to this file'), match: z.enum(['request', 'sequence']).optional() }).strict(),
  z.object({ brain: moduleRef, version: z.string().optional(), versions: z.record(z.string(), moduleRef).optional() }).strict(),
]);

const names = z.enum(propertyNames as [string, ...string[]]);
/** For editors: the property names they can complete. */
const namedProperty = z.union([names, z.partialRecord(names, z.record(z.string(), z.unknown()))]);
/**
 * For parsing: any name, so that an unknown one is reported by the loader with the list of known
 * names, rather than as an anonymous union mismatch.
 */
const anyProperty = z.union([z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))]);

const fileSchema = (property: typeof namedProperty | typeof anyProperty) =>
  z
    .object({
      $schema: z.string().optional(),
      name: z.string().min(1),
      failureMode: z.string().optional(),
      description: z.string().optional(),
      agent: moduleRef.optional().describe('The agent under test; defaults to agents.hardened or the first of agents'),
      agents: z.record(z.string(), moduleRef).optional().describe('Sample agents by name'),
      expectations: z
        .record(z.string(), z.enum(['fail', 'pass']))
        .optional()
        .describe('What each sample agent is expected to do'),
      input: moduleRef.optional().describe('A workload generator ({ faker, random }) => input'),
      world: z
        .object({
          models: z.record(z.string(), model).optional(),
          prices: z.record(z.string(), z.object({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) }).strict()).optional(),
          tools: moduleRef.optional().describe('An exported array of tools (defineTool)'),
          handlers: moduleRef.optional().describe('Exported msw handlers, or a function returning them'),
          mcp: z.record(z.string(), moduleRef).optional().describe('MCP server factories by server name'),
          latency: latency.optional(),
          storeLatency: latency.optional(),
          network: z.enum(['world', 'global']).optional(),
          limits: z
            .object({
              virtualTimeMs: z.number().int().positive().optional(),
              steps: z.number().int().positive().optional(),
              stallSteps: z.number().int().positive().optional(),
              wallClockMs: z.number().int().positive().optional(),
              budget: z
                .object({ usd: z.number().min(0).optional(), tokens: ms.optional(), llmCalls: ms.optional(), actors: ms.optional(), spawnDepth: ms.optional() })
                .strict()
                .optional(),
            })
            .strict()
            .optional(),
        })
        .strict()
        .optional(),
      faults: z.array(faultRuleSchema).optional().describe('The fault space: rules each run may switch on'),
      variants: z.record(z.string(), z.array(faultRuleSchema)).optional().describe('Named fault sets layered on the happy path; added to the fault space'),
      schedules: z.array(z.enum(['fifo', 'random', 'pct'])).optional(),
      heal: z.object({ agent: moduleRef, virtualTimeMs: z.number().int().positive().optional() }).strict().optional(),
      properties: z.array(property).min(1),
      runs: z.number().int().positive().optional(),
    })
    .strict();

export const scenarioFileSchema = fileSchema(anyProperty);

export type ScenarioFile = z.output<typeof scenarioFileSchema>;

/** The JSON Schema of scenario files. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://faultline.dev/scenario.schema.json',
    title: 'Faultline scenario',
    ...(z.toJSONSchema(fileSchema(namedProperty), { io: 'input', reused: 'ref' }) as Record<string, unknown>),
  };
}
