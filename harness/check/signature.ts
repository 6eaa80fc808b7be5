// The signature of a shrunk failure: which scenario and agent, which properties failed, and the
// minimised fault plan and schedule that make them fail, as canonical JSON hashed to 16 hex
// characters. The run seed is left out on purpose: shards and soak batches draw different seeds,
// and fast-check shrinks a failure to the same plan and interleaving from any of them, so the same
// bug found twice has one signature. A rule enters by what it did rather than how its `when` was
// written: its kind, target and parameters and the calls it acted on (the run's fault marks), so
// "every call" and "call 0" are one failure when the agent made one call. Merged shard reports
// and the soak deduplicate by it.
import { parseFaultPlan, ruleIds } from '../faults/plan.ts';
import { digest } from '../sim/digest.ts';

export interface FailureIdentity {
  readonly scenario: string;
  /** The agent's name (a sample agent's label), or undefined for the scenario's own agent. */
  readonly agent: string | undefined;
  /** The properties that failed; order does not matter. */
  readonly failed: readonly string[];
  /** The minimised fault plan (defaults are filled in here, so a plan as written and as run agree). */
  readonly faults: readonly unknown[];
  /** The minimised interleaving strategy (`{ kind: 'fifo' }`, or `{ kind: 'replay', choices }`). */
  readonly schedule: unknown;
  /** The failing run's trace: its `fault` marks say which calls each rule acted on. */
  readonly trace: ReadonlyArray<{ readonly type: string; readonly name?: string; readonly data?: Readonly<Record<string, unknown>> }>;
}

/** A short stable hash identifying a shrunk failure (see the top of this file). */
export function failureSignature(identity: FailureIdentity): string {
  const plan = parseFaultPlan(identity.faults);
  const ids = ruleIds(plan);
  const calls = (id: string) =>
    [
      ...new Set(
        identity.trace.flatMap((e) => (e.type === 'mark' && e.name === 'fault' && e.data?.rule === id && typeof e.data.call === 'number' ? [e.data.call] : [])),
      ),
    ].sort((a, b) => a - b);
  const faults = plan
    .map((rule, i) => ({ kind: rule.kind, target: rule.target, params: rule.params, calls: calls(ids[i] as string) }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return digest({
    v: 1,
    scenario: identity.scenario,
    agent: identity.agent ?? null,
    failed: [...new Set(identity.failed)].sort(),
    faults,
    schedule: identity.schedule,
  });
}

/** The signature of a failing run as a report or a check holds it. */
export function signatureOf(
  scenario: string,
  agent: string | undefined,
  verdicts: ReadonlyArray<{ readonly property: string; readonly ok: boolean }>,
  run: { readonly faults: readonly unknown[]; readonly schedule: { readonly strategy: unknown }; readonly trace: FailureIdentity['trace'] },
): string {
  return failureSignature({
    scenario,
    agent,
    failed: verdicts.filter((v) => !v.ok).map((v) => v.property),
    faults: run.faults,
    schedule: run.schedule.strategy,
    trace: run.trace,
  });
}
