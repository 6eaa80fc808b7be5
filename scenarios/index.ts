// The built-in scenarios: one per failure mode in FAILURE-MODES.md, each with a naive sample agent
// that the scenario catches and a hardened one that passes. `faultline run` runs them all.
import type { ScenarioDefinition } from '../harness/scenario/defineScenario.ts';

type Loader = () => Promise<ScenarioDefinition<never, unknown>>;

const load =
  (folder: string): Loader =>
  async () =>
    ((await import(`./${folder}/scenario.ts`)) as { scenario: ScenarioDefinition<never, unknown> }).scenario;

/** The built-in scenarios by folder name, in failure-mode order. */
export const builtInScenarios: ReadonlyArray<{ readonly id: string; readonly load: Loader }> = [
  '01-write-amplification',
  '02-silent-async-failures',
  '03-deployment-skew',
  '04-cap-for-agents',
  '05-context-corruption',
  '06-mcp-sprawl',
  '07-unreliable-provider',
  '08-debugging-traces',
  '09-agentic-deadlock',
  '10-backpressure',
  '11-consensus',
  '12-race-conditions',
].map((id) => ({ id, load: load(id) }));
