// What a provider enforces on a model's output from the request itself, whatever the brain said:
// stop sequences end the text before the first one (the stop sequence itself is not returned),
// max tokens end the answer where the budget runs out, and tool_choice decides whether tools may
// or must be called. Brains see every one of these in the Conversation and should honour them;
// the provider makes sure the client gets what the real API would send.
import type { Conversation, ProducedReply, ToolCall } from './conversation.ts';
import { completionTokens, encoding } from './tokens.ts';

/** Stop sequences, then max tokens, then tool_choice `none`, as the provider applies them. */
export function applyRequestLimits(reply: ProducedReply, conversation: Conversation): ProducedReply {
  let out = stopAtSequence(reply, conversation.stop);
  out = capTokens(out, conversation.maxTokens);
  if (conversation.toolChoice === 'none' && out.toolCalls.length > 0)
    out = { ...out, toolCalls: [], stopReason: out.stopReason === 'tool_calls' ? 'stop' : out.stopReason };
  return out;
}

/**
 * Cuts the text before the earliest stop sequence it contains (OpenAI `stop`, Anthropic
 * `stop_sequences`). Generation stops there, so no tool call follows; the stop reason is
 * `stop_sequence` (Chat Completions reports it as finish_reason "stop").
 */
export function stopAtSequence(reply: ProducedReply, stop: readonly string[] | undefined): ProducedReply {
  if (stop === undefined || stop.length === 0) return reply;
  let at = -1;
  let which = '';
  for (const sequence of stop) {
    if (sequence === '') continue;
    const i = reply.text.indexOf(sequence);
    if (i >= 0 && (at < 0 || i < at)) {
      at = i;
      which = sequence;
    }
  }
  if (at < 0) return reply;
  return { text: reply.text.slice(0, at), toolCalls: [], stopReason: 'stop_sequence', stopSequence: which };
}

/**
 * Enforces the request's max_tokens as providers do: the answer stops where the budget runs out
 * (stop reason `length`), and tool calls that no longer fit are dropped.
 */
export function capTokens(reply: ProducedReply, maxTokens: number | undefined): ProducedReply {
  if (maxTokens === undefined || completionTokens(reply) <= maxTokens) return reply;
  const textTokens = encoding().encode(reply.text);
  if (textTokens.length >= maxTokens) return { text: encoding().decode(textTokens.slice(0, maxTokens)), toolCalls: [], stopReason: 'length' };
  const kept: ToolCall[] = [];
  let used = textTokens.length;
  for (const call of reply.toolCalls) {
    const cost = completionTokens({ text: '', toolCalls: [call], stopReason: 'tool_calls' });
    if (used + cost > maxTokens) break;
    kept.push(call);
    used += cost;
  }
  return { text: reply.text, toolCalls: kept, stopReason: 'length' };
}

/**
 * A brain that ignores tool_choice is a scenario bug worth saying out loud: `required` and a
 * named tool cannot be enforced without inventing arguments, so the harness reports them.
 */
export function checkToolChoice(reply: ProducedReply, conversation: Conversation, problem: (message: string) => void): void {
  const choice = conversation.toolChoice;
  if (choice === undefined || choice === 'auto' || choice === 'none') return;
  if (choice === 'required' && reply.toolCalls.length === 0) {
    problem(`The brain of "${conversation.model}" answered without a tool call although the request set tool_choice "required"`);
  } else if (typeof choice === 'object' && !reply.toolCalls.some((c) => c.name === choice.name)) {
    problem(`The brain of "${conversation.model}" did not call "${choice.name}", which the request's tool_choice named`);
  }
}
