// Finding scenarios by what a user types: a built-in id (`04-cap-for-agents`, or just `04`), a
// scenario file (YAML or JSON), or a TypeScript module that exports `scenario`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtInScenarios } from '../../scenarios/index.ts';
import type { ScenarioDefinition } from '../scenario/defineScenario.ts';
import { loadScenarioFile } from '../scenario/loadScenarioFile.ts';
import { FaultlineError } from '../sim/errors.ts';

export interface ResolvedScenario {
  /** What the user typed, or the built-in id: how to refer to it again (in replay commands). */
  readonly ref: string;
  readonly scenario: ScenarioDefinition<never, unknown>;
}

export async function resolveScenario(ref: string): Promise<ResolvedScenario> {
  const builtIn = builtInScenarios.find((s) => s.id === ref || s.id.split('-')[0] === ref);
  if (builtIn !== undefined) return { ref: builtIn.id, scenario: await builtIn.load() };
  if (!existsSync(ref)) {
    throw new FaultlineError('INVALID_SCENARIO', {
      what: `There is no scenario "${ref}"`,
      todo: `Give a scenario file (.yaml, .json), a module exporting \`scenario\` (.ts), or a built-in id (faultline list shows them: ${builtInScenarios.map((s) => s.id).join(', ')})`,
    });
  }
  if (/\.(ya?ml|json)$/i.test(ref)) return { ref, scenario: (await loadScenarioFile(ref)) as unknown as ScenarioDefinition<never, unknown> };
  const module = (await import(pathToFileURL(path.resolve(ref)).href)) as { scenario?: ScenarioDefinition<never, unknown> };
  if (module.scenario === undefined) {
    throw new FaultlineError('INVALID_SCENARIO', {
      what: `${ref} does not export \`scenario\``,
      todo: 'Export the result of defineScenario(...) as `scenario`',
    });
  }
  return { ref, scenario: { ...module.scenario, source: module.scenario.source ?? ref } };
}

export async function allBuiltIns(): Promise<ResolvedScenario[]> {
  const out: ResolvedScenario[] = [];
  for (const s of builtInScenarios) out.push({ ref: s.id, scenario: await s.load() });
  return out;
}
