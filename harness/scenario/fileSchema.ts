// The scenario file format (YAML or JSON), as a zod schema. `scenarios/scenario.schema.json` is
// generated from it (`npm run schema`) so that editors can autocomplete and check scenario files;
// the package ships it as `faultline/dist/scenarios/scenario.schema.json`. One source for both: the
// loader parses with this schema and checks each property's parameters with the registry's, and the
// JSON Schema carries the same parameters, so an editor accepts what the command accepts.
import { z } from 'zod';
import { faultRuleSchema } from '../faults/plan.ts';
import { propertyNames, propertyRegistry } from './propertyRegistry.ts';

/** Where the package keeps the JSON Schema, as a user's scenario file at the project root names it. */
export const SCHEMA_IN_PACKAGE = 'node_modules/faultline/dist/scenarios/scenario.schema.json';

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
/**
 * For editors: a property is its name, or an object with exactly one name as key and that
 * property's own parameters as value (the one-key rule is added to the JSON Schema below).
 */
const namedProperty = z.union([names, z.object(Object.fromEntries(propertyNames.map((name) => [name, propertyRegistry[name].params.optional()]))).strict()]);
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
          hosts: z
            .record(z.string(), z.union([z.string(), z.array(z.string())]))
            .optional()
            .describe('More OpenAI-compatible hosts, by the provider name targets use (llm:<name>/<model>): their base URL(s)'),
          tools: moduleRef.optional().describe('An exported array of tools (defineTool)'),
          handlers: moduleRef.optional().describe('Exported msw handlers, or a function returning them'),
          mcp: z
            .record(z.string(), moduleRef)
            .optional()
            .describe('MCP servers by name: a module reference to a factory () => McpServer, or to { server, url?, response?, resumable?, sseUrl? }'),
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

type Json = Record<string, unknown>;

/**
 * The JSON Schema (draft-07, which editors and validators support most widely) of scenario files,
 * with named definitions. Unions discriminated by `kind` (the fault rules) become `if`/`then` pairs,
 * so that a validator reports the problems of the rule's own kind rather than one per kind.
 */
export function scenarioJsonSchema(): Json {
  const registry = z.registry<{ id: string }>();
  registry.add(moduleRef, { id: 'ModuleRef' });
  registry.add(latency, { id: 'Latency' });
  registry.add(model, { id: 'Model' });
  registry.add(namedProperty, { id: 'Property' });
  registry.add(faultRuleSchema, { id: 'FaultRule' });
  for (const option of faultRuleSchema.options) registry.add(option, { id: `${pascal(String(option.shape.kind.value))}Rule` });
  const generated = z.toJSONSchema(fileSchema(namedProperty), {
    target: 'draft-7',
    io: 'input',
    metadata: registry,
    // The names come from `registry`; the descriptions (`.describe(...)`) stay in zod's global one.
    override: ({ zodSchema, jsonSchema }) => {
      const description = z.globalRegistry.get(zodSchema as unknown as z.ZodType)?.description;
      if (description !== undefined && jsonSchema.description === undefined) jsonSchema.description = description;
    },
  }) as Json;
  const definitions = (generated.definitions ?? {}) as Record<string, Json>;
  const discriminated = discriminate(generated, definitions) as Json;
  const property = (discriminated.definitions as Record<string, Json>).Property as { anyOf?: Json[] };
  const [byName, byObject] = [property.anyOf?.find((b) => b.type === 'string'), property.anyOf?.find((b) => b.type === 'object')];
  if (byName !== undefined && byObject !== undefined) {
    // A name, or an object with exactly one name as key: `if`/`else` rather than `anyOf`, so that a
    // bad parameter is reported at the parameter and not also as "must be a string".
    (discriminated.definitions as Record<string, Json>).Property = {
      if: { type: 'string' },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
      then: byName,
      else: { ...byObject, minProperties: 1, maxProperties: 1 },
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://faultline.dev/scenario.schema.json',
    title: 'Faultline scenario',
    ...discriminated,
  };
}

function pascal(kind: string): string {
  return kind.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * Everywhere in the tree: an `anyOf`/`oneOf` whose members (inline or referenced) each fix `kind`
 * becomes one `if kind = k then member` per member.
 */
function discriminate(node: unknown, definitions: Record<string, Json>): unknown {
  if (Array.isArray(node)) return node.map((n) => discriminate(n, definitions));
  if (typeof node !== 'object' || node === null) return node;
  const schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, discriminate(v, definitions)])) as Json;
  const members = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  if (members === undefined) return schema;
  const kinds = members.map((m) => {
    const target = typeof m.$ref === 'string' ? definitions[m.$ref.replace('#/definitions/', '')] : m;
    return (target?.properties as Record<string, Json> | undefined)?.kind?.const as string | undefined;
  });
  if (kinds.some((k) => k === undefined)) return schema;
  const { oneOf: _one, anyOf: _any, ...rest } = schema;
  return {
    ...rest,
    type: 'object',
    required: ['kind'],
    properties: { kind: { enum: kinds } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
    allOf: members.map((m, i) => ({ if: { properties: { kind: { const: kinds[i] } } }, then: m })),
  };
}
