// Gemini wire adapter: the Gemini API's generateContent and streamGenerateContent, served by the
// run's simulated LLMs to @google/genai (global network mode) and @ai-sdk/google (world.fetch).
import type { RequestHandler } from 'msw';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { generateContentRoute } from './generateContent.ts';

/** The Gemini API endpoints Faultline simulates, served by `service`. */
export function geminiRoutes(service: LlmService): RequestHandler[] {
  return [generateContentRoute(service)];
}
