// Amazon Bedrock wire adapter: the runtime's Converse and ConverseStream, served by the run's
// simulated LLMs to @aws-sdk/client-bedrock-runtime (global network mode) and @ai-sdk/amazon-bedrock.
import type { RequestHandler } from 'msw';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { converseRoute } from './converse.ts';

/** The Bedrock runtime endpoints Faultline simulates, served by `service`. */
export function bedrockRoutes(service: LlmService): RequestHandler[] {
  return [converseRoute(service)];
}
