// A refund review panel that votes. The naive panel counts whatever ballots came back and goes with
// the majority: two reviewers on the same model that go wrong together outvote the third, and the
// one reviewer that saw fraud is outvoted two to one. The hardened panel treats a safety reviewer's
// rejection, or its missing vote, as a hold for a human; counts reviewers that share a model as one
// opinion; and escalates when the independent opinions disagree. Its reviewers have timeouts.
import type { World } from '../../harness/index.ts';
import { type Ballot, type Decision, type RefundRequest, type ReviewerOptions, RISK_MODEL, riskReviewer, SHARED_MODEL, sharedReviewer } from './review.ts';

type Reviewer = (world: World, refund: RefundRequest) => Promise<Ballot>;

function panel(options: ReviewerOptions): Record<string, Reviewer> {
  return { policy: sharedReviewer('policy', options), support: sharedReviewer('support', options), risk: riskReviewer(options) };
}

/** Runs every reviewer as its own actor; returns the ballots that came back and who failed. */
async function collect(world: World, reviewers: Record<string, Reviewer>, refund: RefundRequest): Promise<{ ballots: Ballot[]; failed: string[] }> {
  const names = Object.keys(reviewers);
  const settled = await Promise.allSettled(names.map((name) => world.spawn(name, (w) => (reviewers[name] as Reviewer)(w, refund))));
  const ballots: Ballot[] = [];
  const failed: string[] = [];
  settled.forEach((s, i) => (s.status === 'fulfilled' ? ballots.push(s.value) : failed.push(names[i] as string)));
  return { ballots, failed };
}

/** The SDKs' defaults: ten minutes per request, two retries. */
const NAIVE_REVIEWERS = panel({ timeoutMs: 600_000, maxRetries: 2 });

export async function naive(world: World, refund: RefundRequest): Promise<Decision> {
  const { ballots } = await collect(world, NAIVE_REVIEWERS, refund);
  const approvals = ballots.filter((b) => b.approve).length;
  const decision = approvals * 2 > ballots.length ? 'approve' : 'reject';
  return { refund: refund.id, decision, ballots, note: `${approvals} of ${ballots.length} reviewers approved.` };
}

/** Which model each reviewer asks: reviewers on one model are one opinion. */
const MODEL_OF: Readonly<Record<string, string>> = { policy: SHARED_MODEL, support: SHARED_MODEL, risk: RISK_MODEL };
const SAFETY_REVIEWERS = ['risk'];

const HARDENED_REVIEWERS = panel({ timeoutMs: 20_000, maxRetries: 2 });

export async function hardened(world: World, refund: RefundRequest): Promise<Decision> {
  const { ballots, failed } = await collect(world, HARDENED_REVIEWERS, refund);
  const hold = (note: string): Decision => ({ refund: refund.id, decision: 'escalate', ballots, note: `Held for human review: ${note}` });
  const absent = SAFETY_REVIEWERS.find((reviewer) => !ballots.some((b) => b.reviewer === reviewer));
  if (absent !== undefined) return hold(`the ${absent} review is unavailable (${failed.join(', ')} failed), and no refund is approved without it.`);
  const dissent = ballots.find((b) => !b.approve && (b.safety || SAFETY_REVIEWERS.includes(b.reviewer)));
  if (dissent !== undefined) return hold(`${dissent.reviewer} raised a safety concern: ${dissent.reason}`);
  // Reviewers on one model are one opinion: that model approves, rejects, or is split.
  const byModel = new Map<string, Set<boolean>>();
  for (const b of ballots) {
    const model = MODEL_OF[b.reviewer] ?? b.reviewer;
    byModel.set(model, (byModel.get(model) ?? new Set()).add(b.approve));
  }
  const views = [...byModel].map(([model, votes]) => `${model}: ${votes.size > 1 ? 'split' : votes.has(true) ? 'approve' : 'reject'}`);
  const votes = new Set(ballots.map((b) => b.approve));
  if (failed.length > 0 || byModel.size < 2 || votes.size > 1) {
    return hold(`the independent opinions do not agree (${views.join('; ')}${failed.length > 0 ? `; unavailable: ${failed.join(', ')}` : ''}).`);
  }
  const approve = votes.has(true);
  return { refund: refund.id, decision: approve ? 'approve' : 'reject', ballots, note: `Independent reviewers agree (${views.join('; ')}).` };
}
