// world.llm: the simulated LLM without HTTP, for agent code that talks to a model through its own
// abstraction, and as the baseline the HTTP adapters are measured against. Faults behave as on the
// wire: an error outcome throws an LlmError with the provider status, a connection fault a TypeError.
import { noBody } from '../../faults/applyKinds.ts';
import type { Actor } from '../../sim/actors.ts';
import type { Kernel } from '../../sim/kernel.ts';
import { connectionError } from '../httpFaults.ts';
import type { Conversation, Message, ToolCall, ToolSpec } from './conversation.ts';
import type { ErrorType, LlmService } from './llmService.ts';

export interface DirectRequest {
  readonly model: string;
  readonly system?: string;
  readonly messages: readonly Message[];
  readonly tools?: readonly ToolSpec[];
  readonly maxTokens?: number;
}

export interface DirectResult {
  /** The model version that answered. */
  readonly model: string;
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
}

export class LlmError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    message: string,
    readonly headers: Readonly<Record<string, string>>,
  ) {
    super(`${status} ${message}`);
    this.name = 'LlmError';
  }
}

export interface DirectLlm {
  complete(request: DirectRequest, options?: { readonly signal?: AbortSignal }): Promise<DirectResult>;
}

export function directLlm(kernel: Kernel, service: LlmService, actor: Actor): DirectLlm {
  return {
    complete(request, options) {
      const conversation: Conversation = {
        api: 'direct',
        model: request.model,
        system: request.system ?? '',
        messages: request.messages,
        tools: request.tools ?? [],
        maxTokens: request.maxTokens,
      };
      return kernel.call<DirectResult>(
        { actor, kind: 'llm.call', target: `llm:${request.model}`, what: `llm ${request.model}`, data: { model: request.model }, signal: options?.signal },
        { requestMs: 0, responseMs: 0 },
        async (call) => {
          const outcome = await service.respond({ api: 'direct', conversation, stream: false, actor, parentSpan: call.span, signal: call.signal });
          if (outcome.kind === 'connection') throw connectionError(outcome.mode, 'llm');
          if (outcome.kind === 'error') throw new LlmError(outcome.status, outcome.type, outcome.message, outcome.headers);
          noBody(outcome.bodyFaults, 'world.llm has no wire body');
          return { model: outcome.model, text: outcome.reply.text, toolCalls: outcome.reply.toolCalls, usage: outcome.usage };
        },
      );
    },
  };
}
