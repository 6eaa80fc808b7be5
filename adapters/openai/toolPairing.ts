// Tool calls and tool results must pair up: the real APIs refuse, with a 400, a conversation that
// sends a tool result for a call the model never made, or that leaves a call without a result.
// These are common agent bugs (a dropped result after a tool failed, a result sent twice), so the
// simulated APIs refuse them too instead of letting a lenient brain hide them.
import type { Message } from '../../harness/world/llm/conversation.ts';

export type PairingProblem =
  /** A tool result (at message `index`) answers no open call. */
  | { readonly kind: 'orphan-result'; readonly index: number; readonly callId: string }
  /** The assistant message at `index` made calls that got no result. */
  | { readonly kind: 'unanswered'; readonly index: number; readonly callIds: readonly string[] };

/**
 * The first pairing problem in `messages`, or undefined. With `adjacent` (Chat Completions), the
 * results must directly follow the assistant message that made the calls; without it (Responses),
 * they may come anywhere after it.
 */
export function findPairingProblem(messages: readonly Message[], adjacent: boolean): PairingProblem | undefined {
  const open = new Map<string, number>();
  for (const [index, message] of messages.entries()) {
    if (message.role === 'tool') {
      const id = message.toolCallId ?? '';
      if (!open.has(id)) return { kind: 'orphan-result', index, callId: id };
      open.delete(id);
      continue;
    }
    if (adjacent && open.size > 0) return unanswered(open);
    if (message.role === 'assistant') for (const call of message.toolCalls ?? []) open.set(call.id, index);
  }
  return open.size > 0 ? unanswered(open) : undefined;
}

function unanswered(open: ReadonlyMap<string, number>): PairingProblem {
  const [first] = open.values();
  const index = first ?? 0;
  return { kind: 'unanswered', index, callIds: [...open].filter(([, i]) => i === index).map(([id]) => id) };
}
