// Anthropic wire adapter: Messages. (Being written.)
import type { RequestHandler } from 'msw';
import type { LlmService } from '../../harness/world/llm/llmService.ts';

export function anthropicRoutes(service: LlmService, baseUrl = 'https://api.anthropic.com/v1'): RequestHandler[] {
  void service;
  void baseUrl;
  return [];
}
