// Anthropic wire adapter: the Messages API (`POST /v1/messages`, JSON and server-sent events),
// served by the run's simulated LLMs to the official @anthropic-ai/sdk client over world.fetch.
import type { RequestHandler } from 'msw';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { messagesRoute } from './messages.ts';

/** The Anthropic endpoints Faultline simulates, served by `service` under `baseUrl`. */
export function anthropicRoutes(service: LlmService, baseUrl = 'https://api.anthropic.com/v1'): RequestHandler[] {
  return [messagesRoute(service, baseUrl)];
}

export type { MessagesRequest, ParsedRequest } from './messagesRequest.ts';
export { parseMessagesRequest } from './messagesRequest.ts';
