// The refund review panel of scenario 11. Three reviewers vote on each refund: `policy` and
// `support` both ask gpt-4o-mini (cheap, and the same model — so their mistakes are correlated),
// and `risk` asks Claude, which looks the order up in the fraud-signals service before it votes.
// A ballot records who voted, how, and whether the vote is about safety (fraud).
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { z } from 'zod';
import type { WorkloadContext } from '../../harness/check/scenario.ts';
import { type Brain, defineTool, lastUserText, latestToolResults, rules, type World } from '../../harness/index.ts';

export const SHARED_MODEL = 'gpt-4o-mini';
/** The snapshot the shared alias can move to: it misreads the refund window and distrusts every reason. */
export const SKEWED = 'gpt-4o-mini-2025-01-31';
export const RISK_MODEL = 'claude-haiku-4-5';

export interface RefundRequest {
  readonly id: string;
  readonly orderId: string;
  readonly customer: string;
  readonly amount: number;
  readonly orderTotal: number;
  readonly daysSincePurchase: number;
  readonly reason: string;
}

export interface Ballot {
  readonly reviewer: string;
  readonly approve: boolean;
  /** True when the vote is about safety (fraud, abuse), not policy or taste. */
  readonly safety: boolean;
  readonly reason: string;
}

export interface Decision {
  readonly refund: string;
  readonly decision: 'approve' | 'reject' | 'escalate';
  readonly ballots: readonly Ballot[];
  readonly note: string;
}

/** A refund that is within policy and has nothing suspicious about it. */
export function refundWorkload({ faker }: WorkloadContext): RefundRequest {
  const orderTotal = faker.number.float({ min: 40, max: 600, fractionDigits: 2 });
  return {
    id: `R-${faker.number.int({ min: 10_000, max: 99_999 })}`,
    orderId: `A-${faker.number.int({ min: 1000, max: 9999 })}`,
    customer: faker.person.fullName(),
    amount: Number((orderTotal * faker.number.float({ min: 0.2, max: 1 })).toFixed(2)),
    orderTotal,
    daysSincePurchase: faker.number.int({ min: 1, max: 28 }),
    reason: faker.helpers.arrayElement(['The item arrived broken.', 'The parcel never arrived.', 'I was charged twice.']),
  };
}

export const fraudSignals = defineTool({
  name: 'fraud_signals',
  description: 'Fraud signals on an order and the account that placed it',
  input: z.object({ orderId: z.string() }),
  handler: ({ orderId }) => ({ orderId, chargebackHistory: false, velocityAlert: false, addressMismatch: false, deviceOnFlaggedAccounts: false }),
});

const vote = (approve: boolean, reason: string) => JSON.stringify({ approve, reason });

/** gpt-4o-mini as the policy and support reviewers see it; the skewed snapshot misreads the window. */
function sharedBrain(skewed: boolean): Brain {
  return rules((conversation) => {
    const text = lastUserText(conversation);
    const days = Number(/(\d+) days after purchase/.exec(text)?.[1] ?? 0);
    const [amount, total] = [...text.matchAll(/\$([\d.]+)/g)].map((m) => Number(m[1]));
    if (conversation.system.startsWith('You check refunds against the policy')) {
      // The skewed snapshot reads the purchase date as the delivery deadline: nothing is ever in time.
      const inWindow = !skewed && days <= 30;
      return inWindow && (amount ?? 0) <= (total ?? 0)
        ? vote(true, 'Within the 30-day window and the order total.')
        : vote(false, 'Outside the refund window.');
    }
    return skewed ? vote(false, 'The reason reads as templated.') : vote(true, 'The reason is specific and fits the order.');
  });
}

/** Claude as the risk reviewer: it checks the fraud signals, then votes on them. */
const riskBrain = rules((conversation) => {
  const results = latestToolResults(conversation);
  if (results.length === 0) {
    const orderId = /order (A-\d+)/.exec(lastUserText(conversation))?.[1] ?? '';
    return { toolCalls: [{ name: 'fraud_signals', arguments: { orderId } }] };
  }
  const raised = Object.entries(JSON.parse(results[0]?.content ?? '{}') as Record<string, unknown>)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
  const reason = raised.length > 0 ? `Fraud signals raised: ${raised.join(', ')}.` : 'No fraud signals on the order or the account.';
  return JSON.stringify({ approve: raised.length === 0, safety: true, reason });
});

export const models = {
  [SHARED_MODEL]: { brain: sharedBrain(false), versions: { [SKEWED]: sharedBrain(true) } },
  [RISK_MODEL]: riskBrain,
};

function describe(r: RefundRequest): string {
  return `Refund ${r.id} on order ${r.orderId} for ${r.customer}: $${r.amount} of an order of $${r.orderTotal}, requested ${r.daysSincePurchase} days after purchase. Reason: "${r.reason}" Reply as JSON { approve, reason }; add safety: true if your vote is about fraud or abuse.`;
}

function parseBallot(reviewer: string, text: string): Ballot {
  const parsed = JSON.parse(text) as { approve?: unknown; safety?: unknown; reason?: unknown };
  if (typeof parsed.approve !== 'boolean') throw new Error(`${reviewer} answered without a vote: ${text.slice(0, 80)}`);
  return { reviewer, approve: parsed.approve, safety: parsed.safety === true, reason: String(parsed.reason ?? '') };
}

export interface ReviewerOptions {
  /** Per-request timeout of the SDK client, in milliseconds. */
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

const SYSTEMS = {
  policy: 'You check refunds against the policy: within 30 days of purchase, at most the order total.',
  support: "You judge whether a customer's refund reason is credible.",
} as const;

/** The policy or support reviewer: one call to the shared model. */
export function sharedReviewer(role: keyof typeof SYSTEMS, options: ReviewerOptions) {
  return async (world: World, refund: RefundRequest): Promise<Ballot> => {
    const client = new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, timeout: options.timeoutMs, maxRetries: options.maxRetries });
    const completion = await client.chat.completions.create({
      model: SHARED_MODEL,
      messages: [
        { role: 'system', content: SYSTEMS[role] },
        { role: 'user', content: describe(refund) },
      ],
    });
    return parseBallot(world.actor, completion.choices[0]?.message.content ?? '');
  };
}

/** The risk reviewer: Claude with the fraud-signals tool, in a tool-use loop. */
export function riskReviewer(options: ReviewerOptions) {
  return async (world: World, refund: RefundRequest): Promise<Ballot> => {
    const client = new Anthropic({ apiKey: 'sk-ant-sim', fetch: world.fetch, timeout: options.timeoutMs, maxRetries: options.maxRetries });
    const tools: Anthropic.Tool[] = world.tools
      .list()
      .map((t) => ({ name: t.name, description: t.description ?? '', input_schema: t.parameters as Anthropic.Tool.InputSchema }));
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: describe(refund) }];
    for (let turn = 0; turn < 3; turn++) {
      const message = await client.messages.create({
        model: RISK_MODEL,
        max_tokens: 512,
        system: 'You review refunds for fraud risk. Check the fraud signals first.',
        messages,
        tools,
      });
      const uses = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      if (uses.length === 0) return parseBallot(world.actor, message.content.map((b) => (b.type === 'text' ? b.text : '')).join(''));
      messages.push({ role: 'assistant', content: message.content });
      const results: Anthropic.ToolResultBlockParam[] = [];
      for (const use of uses) results.push({ type: 'tool_result', tool_use_id: use.id, content: JSON.stringify(await world.tools.call(use.name, use.input)) });
      messages.push({ role: 'user', content: results });
    }
    throw new Error('the risk reviewer did not reach a vote in three turns');
  };
}
