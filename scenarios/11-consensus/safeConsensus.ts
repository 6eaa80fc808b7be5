// The properties of scenario 11, as pure functions of a run: the decision the agent returned (with
// the ballots it was based on) read against the trace, which says which model each reviewer really
// asked. Agreement is only evidence when it comes from reviewers that do not share a model, and a
// reviewer whose concern is safety is never overruled by a vote.
import { type Property, property, type RunResult, spansOf } from '../../harness/index.ts';
import type { Ballot, Decision } from './review.ts';

function decisionOf(r: RunResult): Decision | undefined {
  const v = r.value as Partial<Decision> | undefined;
  return r.outcome === 'ok' && typeof v?.decision === 'string' && Array.isArray(v.ballots) ? (v as Decision) : undefined;
}

/** The model each actor asked (the name requested, whatever snapshot answered), from the trace. */
function modelsByActor(r: RunResult): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of spansOf(r.trace)) {
    if (s.kind !== 'llm' || s.actor === 'main') continue;
    const models = out.get(s.actor) ?? new Set<string>();
    models.add(String(s.data.model));
    out.set(s.actor, models);
  }
  return out;
}

const modelOf = (models: Map<string, Set<string>>, reviewer: string) => [...(models.get(reviewer) ?? [`its own (${reviewer})`])].join('+');

const verb = (d: Decision['decision']) => (d === 'approve' ? 'approve' : 'reject');

export interface SafetyOptions {
  /** Reviewers whose concern is safety: their rejection, or their silence, holds a refund. */
  readonly safetyReviewers: readonly string[];
}

/**
 * No refund is approved over a safety dissent — a rejection by a safety reviewer, or any rejection
 * its reviewer marked as about safety — nor without every safety reviewer's vote.
 */
export function safetyDissentHeard({ safetyReviewers }: SafetyOptions): Property {
  return property('safetyDissentHeard', 'No safety reviewer was outvoted or left out of an approval.', (r) => {
    const d = decisionOf(r);
    if (d === undefined) return { message: `The panel reached no decision: ${r.message}` };
    if (d.decision !== 'approve') return undefined;
    const approvals = d.ballots.filter((b) => b.approve).length;
    const missing = safetyReviewers.find((reviewer) => !d.ballots.some((b) => b.reviewer === reviewer));
    if (missing !== undefined) {
      return {
        message: `Refund ${d.refund} was approved at t=${r.virtualTimeMs}ms on ${approvals} vote(s) without the safety reviewer ${missing}, whose review never arrived ("${d.note}").`,
      };
    }
    const dissent = d.ballots.find((b) => !b.approve && (b.safety || safetyReviewers.includes(b.reviewer)));
    if (dissent === undefined) return undefined;
    return {
      message:
        `Refund ${d.refund} was approved ${approvals}–${d.ballots.length - approvals} at t=${r.virtualTimeMs}ms over the safety reviewer ${dissent.reviewer}, ` +
        `who voted to reject ("${dissent.reason}"): a safety dissent was silently outvoted.`,
    };
  });
}

/**
 * A decision the panel did not escalate is backed by reviewers on at least two different models,
 * whenever the panel had two: agreement between reviewers that share a model is one opinion.
 */
export function independentAgreement(): Property {
  return property('independentAgreement', 'Every decision was backed by reviewers on independent models, or escalated.', (r) => {
    const d = decisionOf(r);
    if (d === undefined || d.decision === 'escalate') return undefined;
    const models = modelsByActor(r);
    const panel = new Set([...models.keys(), ...d.ballots.map((b) => b.reviewer)].map((reviewer) => modelOf(models, reviewer)));
    const supporters = d.ballots.filter((b) => b.approve === (d.decision === 'approve'));
    const backing = new Set(supporters.map((b) => modelOf(models, b.reviewer)));
    if (backing.size >= 2 || panel.size < 2) return undefined;
    const others = d.ballots.filter((b) => !supporters.includes(b));
    const against =
      others.length === 0
        ? 'with no independent reviewer voting'
        : `against ${others.map((b: Ballot) => `${b.reviewer} on ${modelOf(models, b.reviewer)}`).join(', ')}`;
    return {
      message:
        `Refund ${d.refund} was ${verb(d.decision)}${d.decision === 'approve' ? 'd' : 'ed'} at t=${r.virtualTimeMs}ms on the votes of ${supporters.map((b) => b.reviewer).join(' and ')}, ` +
        `who ${supporters.length === 2 ? 'both asked' : supporters.length > 2 ? 'all asked' : 'asked'} ${[...backing].join(', ')}, ${against}: agreement between correlated reviewers was taken for correctness.`,
    };
  });
}
