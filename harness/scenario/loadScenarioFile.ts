// Scenario files: YAML (or JSON, which YAML parses too, with the same line numbers) that describe a
// scenario without code, referring to code only where they must (`agents.ts#hardened`). A bad file
// is rejected as a whole, with every problem's file, line, field path and expected shape; nothing
// is run until the file is valid.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Property } from '../check/properties/property.ts';
import type { FaultRuleInput } from '../faults/plan.ts';
import { didYouMean } from '../sim/didYouMean.ts';
import { FaultlineError } from '../sim/errors.ts';
import { explainIssues, pathText } from '../sim/zodIssues.ts';
import { cassette, scripted } from '../world/llm/brains.ts';
import { defineScenario, type ScenarioDefinition } from './defineScenario.ts';
import { SCHEMA_IN_PACKAGE, type ScenarioFile, scenarioFileSchema } from './fileSchema.ts';
import { assertInsideProject, type ImportScope, importModule, resolveModuleFile } from './importModule.ts';
import { type PropertyName, propertyRegistry } from './propertyRegistry.ts';

type Path = ReadonlyArray<string | number>;

/** Where `at` is in the file: the deepest node on the path that exists (a missing field points at its parent). */
function locate(doc: Document, lines: LineCounter, at: Path): string {
  for (let n = at.length; n >= 0; n--) {
    const prefix = at.slice(0, n);
    const parent = prefix.length === 0 ? doc.contents : doc.getIn(prefix.slice(0, -1), true);
    const last = prefix[prefix.length - 1];
    if (isMap(parent) && last !== undefined) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range !== undefined) return position(lines, range[0]);
    }
    const node = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range !== undefined) return position(lines, range[0]);
  }
  return '1:1';
}

function position(lines: LineCounter, offset: number): string {
  const { line, col } = lines.linePos(offset);
  return `${line}:${col}`;
}

function fieldText(at: Path): string {
  return pathText('', at) || '(the file)';
}

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
 * @throws FaultlineError INVALID_SCENARIO listing every problem with file:line:col and field path.
 */
export async function loadScenarioFile(file: string, scope: ImportScope = {}): Promise<ScenarioDefinition> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FaultlineError('INVALID_SCENARIO', { what: `Could not read the scenario file ${file}: ${(error as Error).message}`, todo: 'Check the path' });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw invalid(
      file,
      doc.errors.map((e) => `${file}:${e.linePos?.[0].line ?? 1}:${e.linePos?.[0].col ?? 1}: ${e.message.split('\n')[0]}`),
    );
  }
  const data = doc.toJS();
  const parsed = scenarioFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    throw invalid(
      file,
      explainIssues(parsed.error.issues, scenarioFileSchema, data).map(
        (p) => `${file}:${locate(doc, lines, p.path as Path)}: ${fieldText(p.path as Path)}: ${p.message}`,
      ),
    );
  }
  const spec = parsed.data;
  const problems: string[] = [];
  const properties = buildProperties(spec, (at, message) => problems.push(`${file}:${locate(doc, lines, at)}: ${fieldText(at)}: ${message}`));
  if (problems.length > 0) throw invalid(file, problems);
  const modules = new ModuleResolver(file, scope, (at, message) => problems.push(`${file}:${locate(doc, lines, at)}: ${fieldText(at)}: ${message}`));
  const definition = await resolve(spec, properties, modules, file);
  if (problems.length > 0) throw invalid(file, problems);
  return defineScenario({ ...definition, source: file });
}

function buildProperties(spec: ScenarioFile, report: (at: Path, message: string) => void): Property[] {
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
      assertInsideProject(found, `${fieldText(at)} (${relative})`, this.scope);
    } catch (error) {
      this.report(at, (error as Error).message.replace(/^\[faultline\] /, ''));
      return undefined;
    }
    return found;
  }
}

async function resolve(spec: ScenarioFile, properties: Property[], modules: ModuleResolver, file: string) {
  const agents: Record<string, never> = {};
  for (const [name, ref] of Object.entries(spec.agents ?? {})) agents[name] = (await modules.get(ref, ['agents', name])) as never;
  const models: Record<string, unknown> = {};
  for (const [name, model] of Object.entries(spec.world?.models ?? {})) {
    const at: Path = ['world', 'models', name];
    if (typeof model === 'string') models[name] = await modules.get(model, at);
    else if ('script' in model) models[name] = scripted(model.script);
    else if ('cassette' in model) {
      const file = modules.path(model.cassette, [...at, 'cassette']);
      if (file !== undefined) models[name] = cassette(file, model.match === undefined ? {} : { match: model.match });
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
