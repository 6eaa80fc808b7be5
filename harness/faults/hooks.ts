// The hooks the world and the wire adapters offer fault kinds, the same on every API, so a kind is
// written once. A body is counted in one unit everywhere: a *content chunk* is a piece of up to 16
// characters of generated text or tool-call arguments (Chat Completions `delta.content` and
// `tool_calls[].function.arguments`, Responses `*.delta`, Anthropic `text_delta` and non-empty
// `input_json_delta`, Gemini text parts, Bedrock `contentBlockDelta` text and `toolUse.input`). One
// exception: Gemini streams a function call whole, its args an object, so the call is one content
// chunk whatever its length. Framing (a stream's opening events, a tool call's header, Anthropic's
// empty first `partial_json`, Azure's prompt-filter chunk) never counts. A *boundary* `k` is the
// moment before content chunk `k`; the last boundary, `contentChunks`, is after the last content
// chunk and before the closing events (finish reason, usage, `[DONE]`, `message_stop`,
// `response.completed`, Gemini's finishReason event, Bedrock's `messageStop`).
//
// Every hook takes an `applied` callback, called at the virtual moment the change reaches the
// client (a stall when the stream gets there, not when the plan is made), so a fault whose moment
// never comes (the client stopped reading first) is never recorded as fired.

/** A provider error sent inside a 200 stream, rendered by each adapter in its provider's shape. */
export interface InStreamError {
  /** `overloaded` (Anthropic overloaded_error, OpenAI server_is_overloaded), `server`, or `rate-limit`. */
  readonly type: 'overloaded' | 'server' | 'rate-limit';
  /** The message; each adapter has its provider's default wording. */
  readonly message?: string | undefined;
  /** Responses API only: an `error` event (default) or a terminal `response.failed`. */
  readonly form?: 'error' | 'response.failed' | undefined;
}

/** A response body on its way to the client: the uniform hooks of every API (and of plain HTTP). */
export interface BodyHooks {
  /** `openai.chat`, `openai.responses`, `anthropic.messages`, `gemini.generateContent`, `bedrock.converse`, `direct` (world.llm), or `http` for any other response. */
  readonly api: string;
  /** True for a server-sent-events body. */
  readonly streamed: boolean;
  /** Content chunks in the uniform unit (0 for a body that is not streamed). */
  readonly contentChunks: number;
  /**
   * The tool-call argument deltas among them: the boundary of the first one, and how many there
   * are (`first` undefined when the answer streams no arguments). Text comes before arguments on
   * every API, so `first + k` is the boundary before the k-th argument chunk everywhere.
   */
  readonly argumentChunks: { readonly first: number | undefined; readonly count: number };
  /** Pauses `ms` at boundary `at` (0 … contentChunks). */
  stallAt(at: number, ms: number, applied: () => void): void;
  /** Ends the stream at boundary `at`: quietly (`close`) or as a dropped connection (`error`, undici's `TypeError: terminated`). */
  cutAt(at: number, mode: 'close' | 'error', applied: () => void): void;
  /** Ends the stream at boundary `at` with the provider's own in-stream error event(s); false when the API has none. */
  failAt(at: number, error: InStreamError, applied: () => void): boolean;
  /** Delivers the head (status, headers), then holds the body back `ms` (forever when undefined, until the client gives up). */
  stallBody(ms: number | undefined, applied: () => void): void;
  /** Delivers every byte, then keeps the connection open `ms` (forever when undefined) before the body ends. */
  holdOpen(ms: number | undefined, applied: () => void): void;
  /** Drops the connection after `keepFraction` of the body (of its content chunks when streamed). */
  truncate(keepFraction: number, applied: () => void): void;
  /** Sends a 200 whose body does not match the API's schema; false when the API has no schema (plain HTTP). */
  offSchema(applied: () => void): boolean;
  /** Sends the status and headers with no body at all. */
  empty(applied: () => void): void;
}

/** A tool call as a simulated model produced it, before an adapter renders it. */
export interface ReplyToolCall {
  readonly name: string;
  /** The arguments exactly as they travel (a JSON text, or broken text under a fault). */
  readonly rawArguments: string;
  /** The parsed arguments; undefined when `rawArguments` is not JSON. */
  readonly arguments: unknown;
}

/** What a simulated model said, open to change by reply faults. */
export interface ReplyHooks {
  /** The API the reply will be rendered for. */
  readonly api: string;
  readonly streamed: boolean;
  readonly text: string;
  readonly toolCalls: readonly ReplyToolCall[];
  readonly stopReason: 'stop' | 'tool_calls' | 'length' | 'stop_sequence' | 'malformed_call';
  /** Replaces the text. */
  setText(text: string): void;
  /** Replaces one call's arguments: the wire text and (when JSON) its parsed value. */
  setArguments(index: number, rawArguments: string, parsed: unknown): void;
  /** An answer with nothing in it: no text and no tool calls. */
  clear(): void;
  /** `malformed_call`: the provider refuses the call and sends no content (Gemini's MALFORMED_FUNCTION_CALL). */
  setStopReason(reason: 'stop' | 'tool_calls' | 'length' | 'malformed_call'): void;
  /**
   * Changes one fact of `fact` kind (in the first tool call whose arguments have one, else in the
   * text) to a plausible wrong value, and records a `taint` for rule `rule`; returns what changed, or undefined.
   */
  corrupt(fact: 'number' | 'date' | 'name' | 'boolean' | 'any', rule: string): { readonly where: string; readonly path: string } | undefined;
}
