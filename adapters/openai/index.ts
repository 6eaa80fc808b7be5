// OpenAI wire adapters: Chat Completions and Responses. (Being written.)
import type { RequestHandler } from 'msw';
import type { LlmService } from '../../harness/world/llm/llmService.ts';

export function openaiRoutes(service: LlmService, baseUrl = 'https://api.openai.com/v1'): RequestHandler[] {
  void service;
  void baseUrl;
  return [];
}
