// The built-in scenarios: one per failure mode in FAILURE-MODES.md, each with a naive sample agent
// that the scenario catches and a hardened one that passes. `faultline run` runs them all.
//
// Their sample agents use the official LLM clients, which are the user's optional peers: a scenario
// lists the packages it needs, and one whose packages are not installed is skipped with one line
// that says which package enables it (`missingPackages`).
import type { ScenarioDefinition } from '../harness/scenario/defineScenario.ts';

type Loader = () => Promise<ScenarioDefinition<never, unknown>>;

export interface BuiltInScenario {
  /** The folder name, e.g. `04-cap-for-agents`; `04` also finds it. */
  readonly id: string;
  /** The packages its sample agents import, beside Faultline's own dependencies. */
  readonly requires: readonly string[];
  readonly load: Loader;
}

const load =
  (folder: string): Loader =>
  async () =>
    ((await import(`./${folder}/scenario.ts`)) as { scenario: ScenarioDefinition<never, unknown> }).scenario;

const OPENAI = ['openai'];
const BOTH = ['openai', '@anthropic-ai/sdk'];

/** The built-in scenarios by folder name, in failure-mode order. */
export const builtInScenarios: readonly BuiltInScenario[] = (
  [
    ['01-write-amplification', OPENAI],
    ['02-silent-async-failures', OPENAI],
    ['03-deployment-skew', OPENAI],
    ['04-cap-for-agents', OPENAI],
    ['05-context-corruption', OPENAI],
    ['06-mcp-sprawl', OPENAI],
    ['07-unreliable-provider', BOTH],
    ['08-debugging-traces', OPENAI],
    ['09-agentic-deadlock', OPENAI],
    ['10-backpressure', OPENAI],
    ['11-consensus', BOTH],
    ['12-race-conditions', OPENAI],
  ] as const
).map(([id, requires]) => ({ id, requires, load: load(id) }));

/** The packages among `requires` that cannot be imported from here (resolved as Faultline would). */
export function missingPackages(requires: readonly string[]): string[] {
  return requires.filter((name) => {
    try {
      import.meta.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}
