// What a worker thread of a check's pool runs (harness/check/runPool.ts): it loads the scenario by
// reference, as `faultline run` would, keeps it for the next chunks, runs the cases it is sent in
// order and stops at the first failure, or before a case once one of the task's stops was
// requested (a soak's deadline, or the caller no longer needing the chunk). It sits at the top of
// harness/ because it needs the CLI's scenario resolution (built-in ids, files, modules, through
// loadReference.ts) and the check layer together.

import { subjectsOf } from './check/properties/property.ts';
import { runChecked } from './check/runCase.ts';
import type { CaseOutcome, RunTask } from './check/runPool.ts';
import { stopRequested } from './check/runStop.ts';
import type { Scenario } from './check/scenario.ts';
import { type LoadedReference, loadReference } from './loadReference.ts';
import { withGlobalsHeld } from './sim/runGlobals.ts';

const loaded = new Map<string, Promise<LoadedReference>>();

/** Runs a chunk of cases; the outcomes end at the first failure, or where a stop came. */
export default async function runCases(task: RunTask): Promise<CaseOutcome[]> {
  const key = JSON.stringify(task.reference);
  let pending = loaded.get(key);
  if (pending === undefined) {
    // The calling thread loaded the same reference before sending any case (harness/check/verifyReference.ts).
    pending = loadReference(task.reference);
    loaded.set(key, pending);
  }
  const { scenario, agent } = await pending;
  const progress = new Int32Array(task.progress);
  const outcomes: CaseOutcome[] = [];
  // The chunk's runs share one installation of the patched globals (see GlobalsSession).
  await withGlobalsHeld(() => runAll(task, scenario, agent, progress, outcomes));
  return outcomes;
}

async function runAll(
  task: RunTask,
  scenario: Scenario<unknown, unknown>,
  agent: LoadedReference['agent'],
  progress: Int32Array,
  outcomes: CaseOutcome[],
): Promise<void> {
  for (let i = 0; i < task.cases.length; i++) {
    if (stopRequested(task.stops)) break;
    Atomics.store(progress, 0, i);
    const { verdicts, result } = await runChecked(scenario, agent, task.cases[i] as RunTask['cases'][number], task.determinism);
    Atomics.add(progress, 1, 1);
    const failed = verdicts.some((v) => !v.ok);
    outcomes.push({ failed, verdicts, coverage: result.coverage, subjects: [...subjectsOf(result)] });
    if (failed) break;
  }
}
