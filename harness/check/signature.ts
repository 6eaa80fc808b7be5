// The signature of a shrunk failure: which scenario and agent, which properties failed, and the
// minimised fault plan and schedule that make them fail, as canonical JSON hashed to 16 hex
// characters. The run seed is left out on purpose: shards and soak batches draw different seeds,
// and fast-check shrinks a failure to the same plan and interleaving from any of them, so the same
// bug found twice has one signature. Merged shard reports and the soak deduplicate by it.
import { parseFaultPlan } from '../faults/plan.ts';
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
}

/** A short stable hash identifying a shrunk failure (see the top of this file). */
export function failureSignature(identity: FailureIdentity): string {
  return digest({
    v: 1,
    scenario: identity.scenario,
    agent: identity.agent ?? null,
    failed: [...new Set(identity.failed)].sort(),
    faults: parseFaultPlan(identity.faults),
    schedule: identity.schedule,
  });
}

/** The signature of a failing run as a report or a check holds it. */
export function signatureOf(
  scenario: string,
  agent: string | undefined,
  verdicts: ReadonlyArray<{ readonly property: string; readonly ok: boolean }>,
  run: { readonly faults: readonly unknown[]; readonly schedule: { readonly strategy: unknown } },
): string {
  return failureSignature({
    scenario,
    agent,
    failed: verdicts.filter((v) => !v.ok).map((v) => v.property),
    faults: run.faults,
    schedule: run.schedule.strategy,
  });
}
