// Finding scenarios by what a user types: a built-in id (`04-cap-for-agents`, or just `04`), a
// scenario file (YAML or JSON), or a module that exports `scenario` (.ts or .js).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { type BuiltInScenario, builtInScenarios, missingPackages } from '../../scenarios/index.ts';
import type { ScenarioReference } from '../check/runPool.ts';
import type { ScenarioDefinition } from '../scenario/defineScenario.ts';
import { assertInsideProject, type ImportScope, importModule, resolveModuleFile } from '../scenario/importModule.ts';
import { loadScenarioFile } from '../scenario/loadScenarioFile.ts';
import { nearest } from '../sim/didYouMean.ts';
import { errorText, FaultlineError, isFaultlineError } from '../sim/errors.ts';

export interface ResolvedScenario {
  /** What the user typed, or the built-in id: how to refer to it again (in replay commands). */
  readonly ref: string;
  readonly scenario: ScenarioDefinition<never, unknown>;
}

/** A built-in scenario that cannot run here, and the packages that would let it. */
export interface SkippedScenario {
  readonly id: string;
  readonly missing: readonly string[];
}

export interface ResolveOptions extends ImportScope {
  /**
   * Where the reference came from. One typed by the user may name any file; one read from a file
   * (a report given to `replay`) must stay inside the project, as module references in scenario
   * files do.
   */
  readonly from?: 'user' | 'file';
}

/** One line saying why a built-in scenario is skipped and what enables it. */
export function skipLine(skipped: SkippedScenario): string {
  return `skip ${skipped.id}: its sample agents need ${skipped.missing.join(' and ')} (npm i -D ${skipped.missing.join(' ')})`;
}

function findBuiltIn(ref: string): BuiltInScenario | undefined {
  return builtInScenarios.find((s) => s.id === ref || s.id.split('-')[0] === ref);
}

async function loadBuiltIn(builtIn: BuiltInScenario): Promise<ResolvedScenario> {
  const missing = missingPackages(builtIn.requires);
  if (missing.length > 0) {
    throw new FaultlineError('INVALID_SCENARIO', {
      what: `The built-in scenario ${builtIn.id} cannot run here: ${skipLine({ id: builtIn.id, missing }).replace(/^skip [^:]+: /, '')}`,
      todo: `Install ${missing.join(' and ')} in this project, or run another scenario (faultline list)`,
    });
  }
  return { ref: builtIn.id, scenario: await builtIn.load() };
}

/**
 * The scenario a reference names.
 * @throws FaultlineError INVALID_SCENARIO when there is no such scenario (naming the nearest
 *   built-in id or file), the file is invalid, a module throws when imported or does not export
 *   `scenario`, a built-in's packages are missing, or a reference read from a file points outside
 *   the project.
 */
export async function resolveScenario(ref: string, options: ResolveOptions = {}): Promise<ResolvedScenario> {
  const builtIn = findBuiltIn(ref);
  if (builtIn !== undefined) return loadBuiltIn(builtIn);
  const file = resolveModuleFile(path.resolve(ref));
  if (file === undefined) {
    const near = nearestScenario(ref);
    throw new FaultlineError('INVALID_SCENARIO', {
      what: `There is no scenario "${ref}": no such file, and no built-in scenario has that id`,
      todo: `${near === undefined ? '' : `Did you mean "${near}"? `}Give a scenario file (.yaml, .json), a module exporting \`scenario\` (.ts, .js), or a built-in id (faultline list shows them: ${builtInScenarios.map((s) => s.id).join(', ')})`,
    });
  }
  if (options.from === 'file') assertInsideProject(file, `The scenario reference "${ref}"`, options);
  if (/\.(ya?ml|json)$/i.test(file)) return { ref, scenario: (await loadScenarioFile(file, options)) as unknown as ScenarioDefinition<never, unknown> };
  const module = await importScenarioModule(ref, file);
  const scenario = module.scenario as ScenarioDefinition<never, unknown> | undefined;
  if (scenario === undefined) {
    const exported = Object.keys(module).filter((name) => name !== 'default');
    const near = nearest('scenario', exported);
    throw new FaultlineError('INVALID_SCENARIO', {
      what: `${ref} does not export \`scenario\` (its exports: ${exported.map((name) => `\`${name}\``).join(', ') || 'none by name'})`,
      todo: near === undefined ? 'Export the result of defineScenario(...) as `scenario`' : `Rename its export \`${near}\` to \`scenario\``,
    });
  }
  return { ref, scenario: { ...scenario, source: scenario.source ?? ref } };
}

/** Imports a scenario module; a module that throws while loading is the user's input, not a Faultline bug. */
async function importScenarioModule(ref: string, file: string): Promise<Record<string, unknown>> {
  try {
    return await importModule(file);
  } catch (error) {
    if (isFaultlineError(error)) throw error;
    throw new FaultlineError('INVALID_SCENARIO', {
      what: `The scenario module ${ref} could not be imported: ${errorText(error)}`,
      todo: 'Fix the error it throws when it loads (the cause carries its stack)',
      cause: error,
    });
  }
}

/** The built-in id or the file beside `ref` (as the user would type it) nearest to a reference that names neither. */
function nearestScenario(ref: string): string | undefined {
  const dir = path.dirname(ref);
  let siblings: string[] = [];
  try {
    siblings = readdirSync(path.resolve(dir)).map((name) => `${ref.startsWith('./') ? './' : ''}${path.join(dir, name)}`);
  } catch {
    // No such folder: only the built-in ids can be near.
  }
  return nearest(ref, [...builtInScenarios.map((s) => s.id), ...siblings]);
}

/** The built-in scenarios this project can run, and those skipped for want of a package. */
export async function allBuiltIns(): Promise<{ runnable: ResolvedScenario[]; skipped: SkippedScenario[] }> {
  const runnable: ResolvedScenario[] = [];
  const skipped: SkippedScenario[] = [];
  for (const builtIn of builtInScenarios) {
    const missing = missingPackages(builtIn.requires);
    if (missing.length > 0) skipped.push({ id: builtIn.id, missing });
    else runnable.push(await loadBuiltIn(builtIn));
  }
  return { runnable, skipped };
}

/** How a worker thread loads what a CLI command names: the scenario as given, the agent by name, the project's import scope. */
export function cliReference(ref: string, agent: string, scope: { readonly root?: string; readonly allowOutsideRoot?: boolean }): ScenarioReference {
  return {
    scenario: ref,
    agent,
    ...(scope.root === undefined ? {} : { root: scope.root }),
    ...(scope.allowOutsideRoot === undefined ? {} : { allowOutsideRoot: scope.allowOutsideRoot }),
  };
}
