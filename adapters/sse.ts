// Server-sent events, as the OpenAI and Anthropic streaming APIs send them: each event is an
// optional `event:` line, a `data:` line and a blank line.
import type { Actor } from '../harness/sim/actors.ts';
import type { Kernel } from '../harness/sim/kernel.ts';
import { type StreamPlan, virtualStream } from '../harness/world/virtualStream.ts';

export interface SseEvent {
  /** The event name (Anthropic names every event; OpenAI chat completions names none). */
  readonly event?: string;
  /** The data: an object is sent as JSON, a string as is (OpenAI's final `[DONE]`). */
  readonly data: unknown;
  /**
   * True for events that carry generated tokens (text or tool-argument deltas). They are paced by
   * the model's speed and are what stream faults count; the rest is framing.
   */
  readonly content?: boolean;
}

export function encodeSse(event: SseEvent): string {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  return `${event.event === undefined ? '' : `event: ${event.event}\n`}data: ${data}\n\n`;
}

/** A `text/event-stream` response whose events arrive over virtual time, as `plan` says. */
export function sseResponse(
  kernel: Kernel,
  actor: Actor,
  events: readonly SseEvent[],
  plan: StreamPlan,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Response {
  const chunks = events.map((e) => ({ text: encodeSse(e), content: e.content === true }));
  return new Response(virtualStream(kernel, actor, chunks, plan, signal), {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers },
  });
}

/**
 * The stream plan with a `truncate` fault folded in. For a streamed body, truncation is the
 * connection dropping (an error, not a clean end) after that share of the content events; a planned
 * `stream-cut` that comes earlier wins.
 */
export function streamPlanFor(plan: StreamPlan, truncate: number | undefined, events: readonly SseEvent[]): StreamPlan {
  if (truncate === undefined) return plan;
  const afterChunks = Math.floor(events.filter((e) => e.content === true).length * truncate);
  if (plan.cut !== undefined && plan.cut.afterChunks <= afterChunks) return plan;
  return { ...plan, cut: { afterChunks, mode: 'error' } };
}

/** Splits text into stream-sized pieces (about four tokens each), keeping every character. */
export function textChunks(text: string, size = 16): string[] {
  if (text.length === 0) return [];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
