// The wire adapters: msw handler sets (routes) that serve the simulated LLMs to real clients in the
// providers' own formats. simulate() adds them to world.fetch's handlers when models are configured.
// Their modules (every provider's wire format, the AWS event-stream codec) are loaded on demand,
// before a run with models (harness/onDemand.ts), so importing Faultline does not load them.
import type { RequestHandler } from 'msw';
import { providerAdapters } from '../harness/onDemand.ts';
import type { LlmService } from '../harness/world/llm/llmService.ts';

/** Every provider endpoint Faultline simulates, served by `service`. */
export function providerRoutes(service: LlmService): RequestHandler[] {
  return providerAdapters.get().allProviderRoutes(service);
}
