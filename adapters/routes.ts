// Every wire adapter's routes: msw handler sets that serve the simulated LLMs to real clients in the
// providers' own formats. Loaded on demand (harness/onDemand.ts), through adapters/index.ts.
import type { RequestHandler } from 'msw';
import type { LlmService } from '../harness/world/llm/llmService.ts';
import { withoutCallFrames } from '../harness/world/route.ts';
import { anthropicRoutes } from './anthropic/index.ts';
import { bedrockRoutes } from './bedrock/index.ts';
import { geminiRoutes } from './gemini/index.ts';
import { azureRoutes } from './openai/azure.ts';
import { compatibleRoutes } from './openai/compatible.ts';
import { openaiRoutes } from './openai/index.ts';

/** Every provider endpoint Faultline simulates, served by `service`. */
export function allProviderRoutes(service: LlmService): RequestHandler[] {
  return withoutCallFrames(() => [
    ...openaiRoutes(service),
    ...anthropicRoutes(service),
    ...geminiRoutes(service),
    ...bedrockRoutes(service),
    ...azureRoutes(service),
    ...compatibleRoutes(service),
  ]);
}
