// Server-sent events, as the OpenAI and Anthropic streaming APIs send them: each event is an
// optional `event:` line, a `data:` line and a blank line.

export interface SseEvent {
  /** The event name (Anthropic names every event; OpenAI chat completions names none). */
  readonly event?: string;
  /** The data: an object is sent as JSON, a string as is (OpenAI's final `[DONE]`). */
  readonly data: unknown;
  /**
   * True for events that carry generated tokens (text or non-empty tool-argument deltas). They are
   * paced by the model's speed and are what stream faults count; the rest is framing.
   */
  readonly content?: boolean;
  /** True for content events that carry tool-call arguments (the argument deltas). */
  readonly arguments?: boolean;
  /** True for the first of the closing events (finish reason, usage, `[DONE]`, `message_delta`, `response.completed`). */
  readonly end?: boolean;
}

export function encodeSse(event: SseEvent): string {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  return `${event.event === undefined ? '' : `event: ${event.event}\n`}data: ${data}\n\n`;
}

/** Splits text into stream-sized pieces (about four tokens each), keeping every character. */
export function textChunks(text: string, size = 16): string[] {
  if (text.length === 0) return [];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
