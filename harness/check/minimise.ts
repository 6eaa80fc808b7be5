// Minimising a counterexample after fast-check has shrunk it: the interleaving reduced to the
// turns the failure needs, the rules it does not need dropped, and the rest narrowed to a single
// call each. Every step reruns the case and keeps a change only when the run still fails the same
// properties, and every step is deterministic, so a replay of the check reaches the same case.
// Reruns that hit the wall-clock limit draw on a budget of their own (./hangBudget.ts): once it
// is spent, no step reruns anything, and the case is kept as it is.
import { type FaultRuleInput, parseFaultPlan, ruleIds } from '../faults/plan.ts';
import type { RunResult } from '../options.ts';
import type { RunCase } from './arbitraries.ts';
import type { Counterexample } from './checkScenario.ts';
import type { HangBudget } from './hangBudget.ts';
import type { PropertyVerdict } from './properties/property.ts';
import { runChecked } from './runCase.ts';
import type { Scenario } from './scenario.ts';

/** The minimal counterexample for a shrunk failing case (as minimal as `hangs`, its budget of reruns that hit the wall-clock limit, allows). */
export async function minimise<I, O>(
  scenario: Scenario<I, O>,
  agent: Scenario<I, O>['agent'],
  shrunk: RunCase,
  determinism: boolean,
  hangs?: HangBudget,
): Promise<Counterexample> {
  const rerun = reruns(scenario, agent, determinism, hangs);
  const scheduled = await minimiseSchedule(rerun, shrunk);
  return narrowRules(rerun, await dropRules(rerun, scenario.faults ?? [], scheduled));
}

/** A rerun of a case, or undefined when the budget for reruns that hit the wall-clock limit is spent (`always`: run it anyway). */
type Rerun = (
  c: RunCase,
  options?: { readonly determinism?: boolean; readonly always?: boolean },
) => Promise<Awaited<ReturnType<typeof runChecked>> | undefined>;

/** Reruns of the scenario's cases with the check's agent and determinism checking, counted against `hangs`. */
function reruns<I, O>(scenario: Scenario<I, O>, agent: Scenario<I, O>['agent'], determinism: boolean, hangs: HangBudget | undefined): Rerun {
  return async (c, options = {}) => {
    if (options.always !== true && hangs !== undefined && !hangs.allows()) return undefined;
    const run = await runChecked(scenario, agent, c, options.determinism ?? determinism);
    hangs?.spend(run.result);
    return run;
  };
}

/** A rerun of `found`'s case with another plan, kept when it fails the same properties. */
function sameFailure(rerun: Rerun, found: Counterexample) {
  const failing = new Set(found.failed.map((v) => v.property));
  return async (plan: readonly FaultRuleInput[]): Promise<Counterexample | undefined> => {
    const c = { ...found.case, plan };
    const run = await rerun(c);
    if (run === undefined) return undefined;
    const still = run.verdicts.filter((v) => !v.ok);
    return still.length > 0 && still.every((v) => failing.has(v.property)) ? toCounterexample(c, run) : undefined;
  };
}

/**
 * Drops from a counterexample the rules it does not need. First those that changed nothing in its
 * run (a fault that left no effect cannot be part of why the run failed, and a minimal plan must
 * not list it), then each remaining rule in turn (fast-check shrinks a plan's switches before its
 * modes and its run seed, and once those are smaller a rule it had to keep may no longer be
 * needed), then each rule alone as the user wrote it. A smaller plan is kept only when its run
 * still fails the same properties; narrowRules then narrows what is left.
 */
async function dropRules(rerun: Rerun, space: readonly FaultRuleInput[], found: Counterexample): Promise<Counterexample> {
  const attempt = sameFailure(rerun, found);
  const rules = found.result.coverage.rules;
  const active = found.case.plan.filter((_, i) => (rules[i]?.changed ?? 1) > 0);
  let best = (active.length < found.case.plan.length ? await attempt(active) : undefined) ?? found;
  for (let i = best.case.plan.length - 1; i >= 0 && best.case.plan.length > 1; i--) {
    const smaller = await attempt(best.case.plan.filter((_, j) => j !== i));
    if (smaller !== undefined) best = smaller;
  }
  // Narrow rules can need each other (a stall at one call shifts which request a second rule's
  // call index hits): one of them on every call, as the user wrote it, may fail alone.
  for (let i = 0; i < best.case.plan.length && best.case.plan.length > 1; i++) {
    const rule = best.case.plan[i] as FaultRuleInput;
    const written = space.find((r) => r.kind === rule.kind && r.target === rule.target && r.id === rule.id);
    const alone = written === undefined ? undefined : await attempt([written]);
    if (alone !== undefined) best = alone;
  }
  return best;
}

/**
 * Narrows each rule of a counterexample to one call where one is enough. fast-check shrinks a
 * rule's mode and its call apart, so a burst over calls 0–2 can stop short of "once, at call 2"
 * when that needs both changed at once; the calls a rule changed are in the run's fault marks, so
 * each is tried alone (a few per rule), and kept when the run still fails the same properties.
 */
async function narrowRules(rerun: Rerun, found: Counterexample): Promise<Counterexample> {
  const attempt = sameFailure(rerun, found);
  let best = found;
  for (let i = 0; i < best.case.plan.length; i++) {
    const rule = best.case.plan[i] as FaultRuleInput;
    if (Array.isArray(rule.when?.calls) && rule.when.calls.length === 1) continue;
    const id = ruleIds(parseFaultPlan(best.case.plan))[i];
    const calls = [
      ...new Set(
        best.result.trace.flatMap((e) =>
          e.type === 'mark' && e.name === 'fault' && e.data?.rule === id && typeof e.data?.call === 'number' ? [e.data.call] : [],
        ),
      ),
    ];
    if (calls.length < 2) continue;
    for (const call of calls.slice(0, 4)) {
      const { afterMs: _a, beforeMs: _b, times: _t, ...keep } = rule.when ?? {};
      const narrowed = await attempt(best.case.plan.map((r, j) => (j === i ? { ...r, when: { ...keep, calls: [call] } } : r)));
      if (narrowed !== undefined) {
        best = narrowed;
        break;
      }
    }
  }
  return best;
}

/**
 * Shrinks the interleaving of a failing case. The strategy's recorded choices are replayed (past
 * their end, the first ready event is taken, as first-in-first-out would): first the shortest
 * prefix of choices that still fails the same property is found, then each choice in it is blanked
 * (first ready event) while the failure persists. What is left are the turns the failure needs.
 */
async function minimiseSchedule(rerun: Rerun, c: RunCase): Promise<Counterexample> {
  // The case is always run once more (a failure that does not reproduce is reported as such).
  const again = (await rerun(c, { always: true })) as NonNullable<Awaited<ReturnType<Rerun>>>;
  const original = again.verdicts.some((v) => !v.ok) ? again : notReproduced(again);
  const failing = new Set(original.verdicts.filter((v) => !v.ok).map((v) => v.property));
  if (c.schedule.kind === 'fifo' || c.schedule.kind === 'replay' || failing.has('deterministic')) return toCounterexample(c, original);
  let best = original;
  const tries = { left: 400 };
  const attempt = async (choices: readonly string[]) => {
    if (tries.left-- <= 0) return undefined;
    const run = await rerun({ ...c, schedule: { kind: 'replay', choices } }, { determinism: false });
    return run?.verdicts.some((v) => !v.ok && failing.has(v.property)) === true ? run : undefined;
  };
  let choices = [...original.result.schedule.choices];
  for (let round = 0; round < 2; round++) {
    let lo = 0;
    let hi = choices.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await attempt(choices.slice(0, mid))) !== undefined) hi = mid;
      else lo = mid + 1;
    }
    const prefix = choices.slice(0, lo);
    const run = await attempt(prefix);
    if (run !== undefined) {
      choices = prefix;
      best = run;
    }
    for (let i = 0; i < choices.length; i++) {
      if (choices[i] === '') continue;
      const trial = choices.map((x, j) => (j === i ? '' : x));
      const zeroed = await attempt(trial);
      if (zeroed !== undefined) {
        choices = trial;
        best = zeroed;
      }
    }
  }
  while (choices.length > 0 && choices[choices.length - 1] === '') choices.pop();
  if (best === original) return toCounterexample(c, original);
  return toCounterexample({ ...c, schedule: { kind: 'replay', choices } }, best);
}

/**
 * The shrunk case passed when run once more: the same case gave two different results, so something
 * outside the world reached the agent. That is the failure to report.
 */
function notReproduced<T extends { verdicts: PropertyVerdict[] }>(run: T): T {
  const verdict: PropertyVerdict = {
    property: 'deterministic',
    ok: false,
    message:
      'The failing case passed when it was run again: the same seed, plan and schedule gave two different results, so ' +
      'something outside the world (real time, real randomness, state kept between runs) reached the agent. ' +
      'Run with determinism checking (FAULTLINE_CHECK_DETERMINISM=1) to see where the traces diverge.',
  };
  return { ...run, verdicts: [...run.verdicts, verdict] };
}

function toCounterexample(c: RunCase, run: { result: RunResult; input: unknown; verdicts: PropertyVerdict[] }): Counterexample {
  return { case: c, input: run.input, result: run.result, verdicts: run.verdicts, failed: run.verdicts.filter((v) => !v.ok) };
}
