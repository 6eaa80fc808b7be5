// Scenario files: YAML (or JSON, which YAML parses too, with the same line numbers) that describe a
// scenario without code, referring to code only where they must (`agents.ts#hardened`). A bad file
// is rejected as a whole, with every problem's file, line, field path and expected shape; nothing
// is run until the file is valid.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Document, LineCounter } from 'yaml';
import type { Property } from '../check/properties/property.ts';
import type { FaultRuleInput } from '../faults/plan.ts';
import { yamlLibrary } from '../onDemand.ts';
import { didYouMean } from '../sim/didYouMean.ts';
import { errorText, FaultlineError, isFaultlineError } from '../sim/errors.ts';
import { explainIssues } from '../sim/zodIssues.ts';
import { cassette, scripted } from '../world/llm/brains.ts';
import { defineScenario, type ScenarioDefinition } from './defineScenario.ts';
import { checkResolved, checkSpec, type Report } from './fileChecks.ts';
import { SCHEMA_IN_PACKAGE, type ScenarioFile, scenarioFileSchema } from './fileSchema.ts';
import { assertInsideProject, type ImportScope, importModule, resolveModuleFile } from './importModule.ts';
import { firstAlias, locate, type Path, pathText } from './locate.ts';
import { MAX_NESTING, tooDeep } from './nesting.ts';
import { type PropertyName, propertyRegistry } from './propertyRegistry.ts';

function invalid(file: string, problems: readonly string[]): FaultlineError {
  return new FaultlineError('INVALID_SCENARIO', {
    what: `${file} is not a valid scenario file (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
    todo: `Fix the fields listed below; the JSON Schema ${SCHEMA_IN_PACKAGE} describes every field (put \`# yaml-language-server: $schema=<path to it>\` at the top of the file for editor checks)`,
    details: problems,
  });
}

/**
 * Reads, validates and resolves a scenario file into a scenario ready to run. Modules and cassettes
 * it names must lie inside the project (`scope`; see {@link assertInsideProject}).
 * @throws FaultlineError INVALID_SCENARIO listing every problem, each line starting with
 *   `file:line:column` and the field path: hostile input (an alias bomb, nesting deep enough to
 *   exhaust the stack, a module that throws) included.
 */
export async function loadScenarioFile(file: string, scope: ImportScope = {}): Promise<ScenarioDefinition> {
  try {
    return await load(file, scope);
  } catch (error) {
    if (isFaultlineError(error)) throw error;
    throw invalid(file, [`${file}:1:1: the file could not be loaded: ${errorText(error)}`]);
  }
}

async function load(file: string, scope: ImportScope): Promise<ScenarioDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FaultlineError('INVALID_SCENARIO', { what: `Could not read the scenario file ${file}: ${(error as Error).message}`, todo: 'Check the path' });
  }
  const { LineCounter } = await yamlLibrary.load();
  const lines = new LineCounter();
  const doc = parse(file, text, lines);
  const data = toData(file, doc, lines);
  const parsed = scenarioFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    throw invalid(
      file,
      explainIssues(parsed.error.issues, scenarioFileSchema, data).map(
        (p) => `${file}:${locate(doc, lines, p.path as Path)}: ${pathText(p.path as Path)}: ${p.message}`,
      ),
    );
  }
  const spec = parsed.data;
  const problems: string[] = [];
  const report: Report = (at, message) => problems.push(`${file}:${locate(doc, lines, at)}: ${pathText(at)}: ${message}`);
  const properties = buildProperties(spec, report);
  checkSpec(spec, report);
  if (problems.length > 0) throw invalid(file, problems);
  const modules = new ModuleResolver(file, scope, report);
  const definition = await resolve(spec, properties, modules, file, report);
  checkResolved(resolvedValues(spec, definition), report);
  if (problems.length > 0) throw invalid(file, problems);
  try {
    return defineScenario({ ...definition, source: file });
  } catch (error) {
    // defineScenario checks what the file's checks already did; should one slip through, it is still located.
    if (!isFaultlineError(error)) throw error;
    throw invalid(
      file,
      error.message
        .split('\n  - ')
        .slice(1)
        .map((d) => `${file}:1:1: ${d}`),
    );
  }
}

/** The YAML document; syntax errors (and nesting deep enough to exhaust the parser) are located. */
function parse(file: string, text: string, lines: LineCounter): Document {
  const deep = tooDeep(text);
  if (deep !== undefined) {
    const before = text.slice(0, deep);
    const line = before.split('\n').length;
    const column = deep - before.lastIndexOf('\n');
    throw invalid(file, [`${file}:${line}:${column}: the file nests more than ${MAX_NESTING} levels deep; a scenario file needs a dozen at most`]);
  }
  let doc: Document;
  try {
    // logLevel 'error': the library's warnings (a collection used as a key) would go to stderr; such a key fails the schema, located.
    doc = yamlLibrary.get().parseDocument(text, { lineCounter: lines, uniqueKeys: true, logLevel: 'error' });
  } catch (error) {
    throw invalid(file, [`${file}:1:1: the file cannot be parsed: ${errorText(error)}`]);
  }
  if (doc.errors.length > 0) {
    throw invalid(
      file,
      doc.errors.map((e) => `${file}:${e.linePos?.[0].line ?? 1}:${e.linePos?.[0].col ?? 1}: ${e.message.split('\n')[0]}`),
    );
  }
  return doc;
}

/** The document as plain data, refusing an alias bomb (aliases that expand without bound) where its first alias is. */
function toData(file: string, doc: Document, lines: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw invalid(file, [
        `${file}:${firstAlias(doc, lines)}: too many aliases: the document expands an anchor more than 100 times (a YAML "billion laughs" bomb?); write the data out instead of aliasing it`,
      ]);
    }
    throw invalid(file, [`${file}:${firstAlias(doc, lines)}: the document cannot be read as data: ${errorText(error)}`]);
  }
}

/** What the checks of resolved values need: each module reference's value with its field path. */
function resolvedValues(spec: ScenarioFile, definition: Awaited<ReturnType<typeof resolve>>) {
  const fn = 'a function exported by the module';
  const functions: Array<readonly [Path, unknown, string]> = [
    [['agent'], definition.agent, `${fn}: the agent, (world, input) => answer`],
    [['input'], definition.input, `${fn}: a workload generator ({ faker, random }) => input`],
    [['heal', 'agent'], definition.heal?.agent, `${fn}: the heal agent, (world) => …`],
    ...Object.entries(definition.agents ?? {}).map(([name, agent]): readonly [Path, unknown, string] => [
      ['agents', name],
      agent,
      `${fn}: an agent, (world, input) => answer`,
    ]),
    ...Object.entries(definition.world.mcp ?? {}).map(([name, f]): readonly [Path, unknown, string] => [
      ['world', 'mcp', name],
      f,
      `${fn}: an MCP server factory`,
    ]),
  ];
  const models: Array<{ at: Path; names: string[] }> = [];
  for (const [name, model] of Object.entries(definition.world.llm?.models ?? {})) {
    const config = model as { brain?: unknown; version?: string; versions?: Record<string, unknown> };
    const brain = typeof model === 'function' ? model : config.brain;
    const at: Path = ['world', 'models', name];
    functions.push([
      typeof model === 'function' || typeof spec.world?.models?.[name] === 'string' ? at : [...at, 'brain'],
      brain,
      `${fn}: a brain, (conversation) => reply`,
    ]);
    for (const [v, b] of Object.entries(config.versions ?? {})) functions.push([[...at, 'versions', v], b, `${fn}: a brain`]);
    models.push({ at, names: [...new Set([name, ...(config.version === undefined ? [] : [config.version]), ...Object.keys(config.versions ?? {})])] });
  }
  return {
    functions,
    ...(spec.world?.tools === undefined ? {} : { tools: [['world', 'tools'], definition.world.tools] as const }),
    ...(spec.world?.handlers === undefined ? {} : { handlers: [['world', 'handlers'], definition.world.handlers] as const }),
    models,
    prices: spec.world?.prices,
  };
}

function buildProperties(spec: ScenarioFile, report: Report): Property[] {
  const out: Property[] = [];
  spec.properties.forEach((entry, i) => {
    const [name, params] = typeof entry === 'string' ? [entry, {}] : (Object.entries(entry)[0] ?? ['', {}]);
    if (typeof entry !== 'string' && Object.keys(entry).length !== 1) {
      report(['properties', i], 'expected one property per entry, e.g. { boundedSpend: { usd: 0.05 } }');
      return;
    }
    if (!Object.hasOwn(propertyRegistry, name)) {
      const hint = didYouMean(name, Object.keys(propertyRegistry));
      report(['properties', i], `unknown property "${name}"${hint || `; expected one of ${Object.keys(propertyRegistry).join(', ')}`}`);
      return;
    }
    const known = propertyRegistry[name as PropertyName];
    const checked = known.params.safeParse(params, { reportInput: true });
    if (!checked.success) {
      for (const p of explainIssues(checked.error.issues, known.params, params)) report(['properties', i, name, ...(p.path as Path)], p.message);
      return;
    }
    out.push((known.make as (p: unknown) => Property)(checked.data));
  });
  return out;
}

/** Imports module references (`./agents.ts#hardened`) relative to the scenario file, inside the project. */
class ModuleResolver {
  constructor(
    private readonly file: string,
    private readonly scope: ImportScope,
    private readonly report: (at: Path, message: string) => void,
  ) {}

  async get(ref: string, at: Path): Promise<unknown> {
    const hash = ref.lastIndexOf('#');
    const [modulePath, name] = [ref.slice(0, hash), ref.slice(hash + 1)];
    const absolute = this.path(modulePath, at);
    if (absolute === undefined) return undefined;
    let module: Record<string, unknown>;
    try {
      module = await importModule(absolute);
    } catch (error) {
      this.report(at, `could not import ${modulePath} (${absolute}): ${String((error as Error)?.message ?? error).split('\n')[0]}`);
      return undefined;
    }
    if (!(name in module)) {
      const names = Object.keys(module).map((k) => `"${k}"`);
      this.report(at, `${modulePath} has no export "${name}"; it exports ${names.join(', ') || 'nothing'}`);
      return undefined;
    }
    return module[name];
  }

  /** The file a relative reference names, if it exists and lies inside the project. */
  path(relative: string, at: Path): string | undefined {
    const written = path.resolve(path.dirname(this.file), relative);
    const found = resolveModuleFile(written);
    if (found === undefined) {
      this.report(at, `there is no file ${relative} (${written})`);
      return undefined;
    }
    try {
      assertInsideProject(found, `${pathText(at)} (${relative})`, this.scope);
    } catch (error) {
      this.report(at, (error as Error).message.replace(/^\[faultline\] /, ''));
      return undefined;
    }
    return found;
  }
}

async function resolve(spec: ScenarioFile, properties: Property[], modules: ModuleResolver, file: string, report: Report) {
  const agents: Record<string, never> = {};
  for (const [name, ref] of Object.entries(spec.agents ?? {})) agents[name] = (await modules.get(ref, ['agents', name])) as never;
  const models: Record<string, unknown> = {};
  for (const [name, model] of Object.entries(spec.world?.models ?? {})) {
    const at: Path = ['world', 'models', name];
    if (typeof model === 'string') models[name] = await modules.get(model, at);
    else if ('script' in model) models[name] = scripted(model.script);
    else if ('cassette' in model) {
      const file = modules.path(model.cassette, [...at, 'cassette']);
      if (file !== undefined) {
        try {
          models[name] = cassette(file, model.match === undefined ? {} : { match: model.match });
        } catch (error) {
          report([...at, 'cassette'], errorText(error).replace(/^FaultlineError: \[faultline\] /, ''));
        }
      }
    } else {
      const versions: Record<string, unknown> = {};
      for (const [v, ref] of Object.entries(model.versions ?? {})) versions[v] = await modules.get(ref, [...at, 'versions', v]);
      models[name] = { brain: await modules.get(model.brain, [...at, 'brain']), ...(model.version === undefined ? {} : { version: model.version }), versions };
    }
  }
  const mcp: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(spec.world?.mcp ?? {})) mcp[name] = await modules.get(ref, ['world', 'mcp', name]);
  const w = spec.world;
  const faults: FaultRuleInput[] = [...(spec.faults ?? []), ...Object.values(spec.variants ?? {}).flat()];
  return {
    name: spec.name,
    ...(spec.failureMode === undefined ? {} : { failureMode: spec.failureMode }),
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(spec.agent === undefined ? {} : { agent: (await modules.get(spec.agent, ['agent'])) as never }),
    ...(Object.keys(agents).length === 0 ? {} : { agents }),
    ...(spec.expectations === undefined ? {} : { expectations: spec.expectations }),
    ...(spec.input === undefined ? {} : { input: (await modules.get(spec.input, ['input'])) as never }),
    ...(spec.heal === undefined
      ? {}
      : {
          heal: {
            agent: (await modules.get(spec.heal.agent, ['heal', 'agent'])) as never,
            ...(spec.heal.virtualTimeMs === undefined ? {} : { virtualTimeMs: spec.heal.virtualTimeMs }),
          },
        }),
    world: {
      ...(Object.keys(models).length === 0
        ? {}
        : {
            llm: { models: models as never, ...(w?.prices === undefined ? {} : { prices: w.prices }), ...(w?.hosts === undefined ? {} : { hosts: w.hosts }) },
          }),
      ...(w?.tools === undefined ? {} : { tools: (await modules.get(w.tools, ['world', 'tools'])) as never }),
      ...(w?.handlers === undefined ? {} : { handlers: (await modules.get(w.handlers, ['world', 'handlers'])) as never }),
      ...(Object.keys(mcp).length === 0 ? {} : { mcp: mcp as never }),
      ...(w?.latency === undefined ? {} : { latency: w.latency }),
      ...(w?.storeLatency === undefined ? {} : { storeLatency: w.storeLatency }),
      ...(w?.network === undefined ? {} : { network: w.network }),
      ...(w?.limits === undefined ? {} : { limits: w.limits }),
    },
    faults,
    ...(spec.schedules === undefined ? {} : { schedules: spec.schedules }),
    properties,
    ...(spec.runs === undefined ? {} : { runs: spec.runs }),
    source: file,
  };
}
