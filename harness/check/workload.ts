// Workload inputs for a run: a faker and a random stream seeded from the run's seed, so a scenario
// can generate realistic inputs (names, amounts, dates) that are the same for the same seed.
// The faker library is loaded on demand, by the first scenario with a workload (harness/onDemand.ts).
import type { Faker } from '@faker-js/faker';
import { fakerLibrary } from '../onDemand.ts';
import { Rng } from '../sim/rng.ts';
import type { WorkloadContext } from './scenario.ts';

// Building a Faker costs milliseconds; one instance is reseeded for every run instead.
let shared: Faker | undefined;

/** The context a scenario's `input` draws from; awaited before the run, which is where the library loads. */
export async function workloadContext(runSeed: number): Promise<WorkloadContext> {
  const { en, Faker } = await fakerLibrary.load();
  shared ??= new Faker({ locale: [en] });
  const random = new Rng(runSeed).stream('workload');
  shared.seed(random.uint32());
  return { faker: shared, random };
}
