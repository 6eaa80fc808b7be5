// The checks a scenario file gets at load time beyond its schema, so that a file that loads also
// runs: fault rules that can act where they are placed, latency models that make sense, agents
// named in expectations that exist, and module exports of the right shape (functions, an array
// of tools, msw handlers, MCP server factories, brains with prices). Each problem is reported with
// its field path, which the loader turns into file:line:column.
import { parseFaultPlan } from '../faults/plan.ts';
import { nearest } from '../sim/didYouMean.ts';
import { isFaultlineError, safeString } from '../sim/errors.ts';
import { type LatencyModel, latencyModelProblems } from '../sim/latency.ts';
import { defaultPrices, type PriceTable, priceOf } from '../world/llm/pricing.ts';
import type { ScenarioFile } from './fileSchema.ts';
import type { Path } from './locate.ts';

export type Report = (at: Path, message: string) => void;

/** Checks of the parsed file that need no module: fault rules, latency models, expectations. */
export function checkSpec(spec: ScenarioFile, report: Report): void {
  const rules: Array<[Path, unknown]> = [
    ...(spec.faults ?? []).map((r, i): [Path, unknown] => [['faults', i], r]),
    ...Object.entries(spec.variants ?? {}).flatMap(([name, list]) => list.map((r, i): [Path, unknown] => [['variants', name, i], r])),
  ];
  for (const [at, rule] of rules) {
    try {
      parseFaultPlan([rule], 'rule');
    } catch (error) {
      if (!isFaultlineError(error)) throw error;
      for (const line of error.message.split('\n  - ').slice(1)) {
        const m = /^rule\[0\](?:\.([A-Za-z]+))?: (.*)$/s.exec(line);
        report(m?.[1] === undefined ? at : [...at, m[1]], m?.[2] ?? line);
      }
    }
  }
  const latency = (at: Path, model: LatencyModel | undefined): void => {
    if (model === undefined) return;
    for (const problem of latencyModelProblems(model, '~')) report(at, problem.replace(/^~\./, '').replace(/~\./g, ''));
  };
  latency(['world', 'latency'], spec.world?.latency);
  latency(['world', 'storeLatency'], spec.world?.storeLatency);
  const agents = Object.keys(spec.agents ?? {});
  for (const name of Object.keys(spec.expectations ?? {})) {
    if (!agents.includes(name)) report(['expectations', name], `there is no agent "${name}" in agents.${suggest(name, agents)}`);
  }
}

/** The values the file's module references resolved to, by field path. */
export interface Resolved {
  readonly functions: ReadonlyArray<readonly [Path, unknown, string]>;
  readonly tools?: readonly [Path, unknown];
  readonly handlers?: readonly [Path, unknown];
  readonly models: ReadonlyArray<{ readonly at: Path; readonly names: readonly string[] }>;
  readonly prices: PriceTable | undefined;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Checks of what module references resolved to: each must have the shape its field needs. */
export function checkResolved(resolved: Resolved, report: Report): void {
  for (const [at, value, shape] of resolved.functions) {
    if (value !== undefined && typeof value !== 'function') report(at, `expected ${shape}, got ${kindOf(value)}`);
  }
  if (resolved.tools !== undefined) checkTools(...resolved.tools, report);
  if (resolved.handlers !== undefined) {
    const [at, handlers] = resolved.handlers;
    const ok = typeof handlers === 'function' || (Array.isArray(handlers) && handlers.every((h) => typeof h === 'object' && h !== null));
    if (handlers !== undefined && !ok) report(at, `expected an exported array of msw handlers (or a function returning one), got ${kindOf(handlers)}`);
  }
  const prices = { ...defaultPrices, ...resolved.prices };
  for (const { at, names } of resolved.models) {
    for (const name of names) {
      if (priceOf(name, prices) === undefined) {
        report(at, `no price for model "${name}": add world.prices["${name}"]: { inputPerMTok: …, outputPerMTok: … } (dollars per million tokens)`);
      }
    }
  }
}

function checkTools(at: Path, tools: unknown, report: Report): void {
  if (tools === undefined) return;
  if (!Array.isArray(tools)) {
    report(at, `expected an exported array of tools (defineTool(...)), got ${kindOf(tools)}`);
    return;
  }
  const seen = new Set<string>();
  tools.forEach((tool: unknown, i) => {
    const t = tool as { name?: unknown; description?: unknown; input?: { safeParse?: unknown }; handler?: unknown } | null;
    const problem =
      typeof t !== 'object' || t === null
        ? `got ${kindOf(tool)}`
        : typeof t.name !== 'string' || !TOOL_NAME.test(t.name)
          ? `its name must be 1–64 letters, digits, _ or -, got ${kindOf(t.name)}`
          : typeof t.description !== 'string'
            ? 'it has no description (a string)'
            : typeof t.input?.safeParse !== 'function'
              ? 'its input is not a zod schema'
              : typeof t.handler !== 'function'
                ? 'its handler is not a function'
                : seen.has(t.name)
                  ? `two tools are called "${t.name}"`
                  : undefined;
    if (typeof t?.name === 'string') seen.add(t.name);
    if (problem !== undefined) report(at, `tool #${i + 1} is not a tool (defineTool({ name, description, input, handler })): ${problem}`);
  });
}

/** `a function`, `an array`, `the string "x"`, `the number 3`… for "got …" in messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'function':
      return 'a function';
    case 'string':
      return `the string ${JSON.stringify(value.slice(0, 40))}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `the ${typeof value} ${safeString(value)}`;
    case 'undefined':
      return 'nothing (undefined)';
    default:
      return typeof value === 'object' ? 'an object' : typeof value;
  }
}

/** ` Did you mean "x"?` for the nearest of `names`, or ''. */
function suggest(name: string, names: readonly string[]): string {
  const found = nearest(name, names);
  return found === undefined ? '' : ` Did you mean "${found}"?`;
}
