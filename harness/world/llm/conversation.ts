// The provider-neutral shape of an LLM exchange. Adapters translate each wire format (OpenAI chat
// completions, OpenAI responses, Anthropic messages) to and from it, so that a brain is written
// once and answers every client.

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  /** The id the provider gave the call (`call_…`, `toolu_…`, `tooluse_…`); tool results refer to it. */
  readonly id: string;
  readonly name: string;
  /** The parsed arguments; `undefined` when `rawArguments` is not valid JSON. */
  readonly arguments: unknown;
  /** The arguments exactly as they travelled on the wire. */
  readonly rawArguments: string;
  /** The wire carried `"arguments": null` (OpenAI-compatible providers do; `rawArguments` is then ''). */
  readonly argumentsNull?: true;
}

export interface Message {
  readonly role: Role;
  /** The text of the message (text parts joined); a tool result's content for role `tool`. */
  readonly content: string;
  /** Tool calls an assistant message made. */
  readonly toolCalls?: readonly ToolCall[];
  /** For role `tool`: the id of the call this message answers. */
  readonly toolCallId?: string;
  /** For role `tool`: true when the tool reported an error. */
  readonly isError?: boolean;
}

export interface ToolSpec {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the arguments. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/**
 * The wire API a call came in on. Hosts that speak another provider's format (Azure OpenAI and the
 * OpenAI-compatible hosts speak `openai.chat` and `openai.responses`) are told apart by provider.
 */
export type ApiName = 'openai.chat' | 'openai.responses' | 'anthropic.messages' | 'gemini.generateContent' | 'bedrock.converse' | 'direct';

/** What a brain sees: the conversation so far and the tools on offer. */
export interface Conversation {
  readonly api: ApiName;
  /** The model name the client asked for (an alias, possibly). */
  readonly model: string;
  /** System instructions, joined. */
  readonly system: string;
  readonly messages: readonly Message[];
  readonly tools: readonly ToolSpec[];
  readonly maxTokens: number | undefined;
  /** Stop sequences (`stop`, `stop_sequences`): the answer ends before the first one it would contain. */
  readonly stop?: readonly string[];
  /**
   * `tool_choice`: `auto` (default), `none` (answer in text), `required` (call some tool), or the
   * name of the one tool to call. A brain should honour it; the simulated provider enforces it.
   */
  readonly toolChoice?: ToolChoice;
  /** `response_format` (Chat Completions) or `text.format` (Responses), as the request sent it. */
  readonly responseFormat?: Readonly<Record<string, unknown>>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { readonly name: string };

/** What a brain answers: text and/or tool calls. */
export interface Reply {
  readonly text?: string;
  /**
   * Tool calls. `rawArguments` sends the arguments text exactly as given (a zero-argument call
   * with `""`, as many providers send it); otherwise `arguments` is sent as JSON.
   */
  readonly toolCalls?: ReadonlyArray<{ readonly name: string; readonly arguments?: unknown; readonly rawArguments?: string }>;
}

/** A reply after the simulated model produced it: tool calls have ids and wire-ready arguments. */
export interface ProducedReply {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  /**
   * Why the answer ended. `malformed_call`: the provider refused the tool call the model wrote and
   * sends no content (Gemini's MALFORMED_FUNCTION_CALL; only a `malformed` fault on Gemini sets it).
   */
  readonly stopReason: 'stop' | 'tool_calls' | 'length' | 'stop_sequence' | 'malformed_call';
  /** The stop sequence that ended the answer, when `stopReason` is `stop_sequence`. */
  readonly stopSequence?: string;
}

/** The text of the last user message, or '' — a common thing for a rule brain to look at. */
export function lastUserText(conversation: Conversation): string {
  for (let i = conversation.messages.length - 1; i >= 0; i--) {
    const m = conversation.messages[i];
    if (m?.role === 'user') return m.content;
  }
  return '';
}

/** Tool results that came after the last assistant message, in order. */
export function latestToolResults(conversation: Conversation): Message[] {
  const out: Message[] = [];
  for (let i = conversation.messages.length - 1; i >= 0; i--) {
    const m = conversation.messages[i];
    if (m === undefined || m.role !== 'tool') break;
    out.unshift(m);
  }
  return out;
}
