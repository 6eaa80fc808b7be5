// Finding scenarios by what a user types: a built-in id (`04-cap-for-agents`, or just `04`), a
// scenario file (YAML or JSON), or a module that exports `scenario` (.ts or .js).
import path from 'node:path';
import { type BuiltInScenario, builtInScenarios, missingPackages } from '../../scenarios/index.ts';
import type { ScenarioReference } from '../check/runPool.ts';
import type { ScenarioDefinition } from '../scenario/defineScenario.ts';
import { assertInsideProject, type ImportScope, importModule, resolveModuleFile } from '../scenario/importModule.ts';
import { loadScenarioFile } from '../scenario/loadScenarioFile.ts';
import { FaultlineError } from '../sim/errors.ts';

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
 * @throws FaultlineError INVALID_SCENARIO when there is no such scenario, the file is invalid, a
 *   module does not export `scenario`, a built-in's packages are missing, or a reference read from
 *   a file points outside the project.
 */
export async function resolveScenario(ref: string, options: ResolveOptions = {}): Promise<ResolvedScenario> {
  const builtIn = findBuiltIn(ref);
  if (builtIn !== undefined) return loadBuiltIn(builtIn);
  const file = resolveModuleFile(path.resolve(ref));
  if (file === undefined) {
    throw new FaultlineError('INVALID_SCENARIO', {
      what: `There is no scenario "${ref}"`,
      todo: `Give a scenario file (.yaml, .json), a module exporting \`scenario\` (.ts, .js), or a built-in id (faultline list shows them: ${builtInScenarios.map((s) => s.id).join(', ')})`,
    });
  }
  if (options.from === 'file') assertInsideProject(file, `The scenario reference "${ref}"`, options);
  if (/\.(ya?ml|json)$/i.test(file)) return { ref, scenario: (await loadScenarioFile(file, options)) as unknown as ScenarioDefinition<never, unknown> };
  const module = (await importModule(file)) as { scenario?: ScenarioDefinition<never, unknown> };
  if (module.scenario === undefined) {
    throw new FaultlineError('INVALID_SCENARIO', {
      what: `${ref} does not export \`scenario\``,
      todo: 'Export the result of defineScenario(...) as `scenario`',
    });
  }
  return { ref, scenario: { ...module.scenario, source: module.scenario.source ?? ref } };
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
