// OpenAI wire adapters: Chat Completions and the Responses API, served from the simulated LLM to
// the official `openai` client (or anything else speaking the format) over world.fetch.
import type { RequestHandler } from 'msw';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { chatCompletionsRoute } from './chatCompletions.ts';
import { responsesRoute } from './responses.ts';

/** The OpenAI endpoints Faultline simulates, served by `service` under `baseUrl`. */
export function openaiRoutes(service: LlmService, baseUrl = 'https://api.openai.com/v1'): RequestHandler[] {
  const base = baseUrl.replace(/\/+$/, '');
  return [chatCompletionsRoute(service, base), responsesRoute(service, base)];
}
