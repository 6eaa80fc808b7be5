// What the property runner needs to know about a scenario: a happy-path world, the faults that may
// be layered on it (its fault space), the schedules to explore, the workload, the agent, and the
// properties every run must keep. defineScenario (harness/scenario/) builds these from code or from
// YAML/JSON files.
import type { Faker } from '@faker-js/faker';
import type { FaultRuleInput } from '../faults/plan.ts';
import type { Agent, SimulateOptions } from '../options.ts';
import type { RandomStream } from '../sim/rng.ts';
import type { World } from '../world/world.ts';
import type { Property } from './properties/property.ts';

/** The world of a scenario: every simulate() option but those the runner decides per run. */
export type WorldOptions = Omit<SimulateOptions, 'seed' | 'faults' | 'schedule' | 'scenario' | 'heal'>;

/** Scheduling strategies a scenario explores. */
export type ScheduleSpace = ReadonlyArray<'fifo' | 'random' | 'pct'>;

export interface WorkloadContext {
  /** A faker seeded from the run: realistic inputs, the same for the same seed. */
  readonly faker: Faker;
  readonly random: RandomStream;
}

export interface Scenario<I = unknown, O = unknown> {
  readonly name: string;
  /** Which of the twelve failure modes it exercises (FAILURE-MODES.md), if any. */
  readonly failureMode?: string;
  readonly description?: string;
  /** The happy-path world. */
  readonly world?: WorldOptions;
  /**
   * The fault space: rules a run may switch on. Each run switches every rule on or off (swarm
   * testing: a different mix of faults per run), so a failure shrinks to the few that matter.
   */
  readonly faults?: readonly FaultRuleInput[];
  /** Strategies for ordering simultaneous events (default: fifo only). */
  readonly schedules?: ScheduleSpace;
  /** The workload: builds the agent's input for a run. */
  readonly input?: (context: WorkloadContext) => I;
  readonly agent: (world: World, input: I) => Promise<O> | O;
  readonly properties: readonly Property[];
  /** A fault-free reconciliation phase after each run (chaos, then heal). */
  readonly heal?: { readonly agent: Agent<unknown>; readonly virtualTimeMs?: number };
  /** Check every case twice and fail on any trace difference (replayability is the property). */
  readonly determinism?: boolean;
  /** What a property that never had anything to judge does to a passing check (see CheckOptions.vacuity). */
  readonly vacuity?: 'fail' | 'warn';
  /** Where it came from (a scenario file), for messages and reports. */
  readonly source?: string;
}
