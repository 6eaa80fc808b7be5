// Workload inputs for a run: a faker and a random stream seeded from the run's seed, so a scenario
// can generate realistic inputs (names, amounts, dates) that are the same for the same seed.
import { en, Faker } from '@faker-js/faker';
import { Rng } from '../sim/rng.ts';
import type { WorkloadContext } from './scenario.ts';

// Building a Faker costs milliseconds; one instance is reseeded for every run instead.
let shared: Faker | undefined;

export function workloadContext(runSeed: number): WorkloadContext {
  shared ??= new Faker({ locale: [en] });
  const random = new Rng(runSeed).stream('workload');
  shared.seed(random.uint32());
  return { faker: shared, random };
}
