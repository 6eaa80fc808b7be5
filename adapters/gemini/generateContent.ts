// The Gemini API's generation endpoints on the simulated LLM (ai.google.dev/api/generate-content):
//
//   POST https://generativelanguage.googleapis.com/{v1beta|v1|v1alpha}/models/{model}:generateContent
//   POST …/models/{model}:streamGenerateContent?alt=sse   (server-sent events)
//   POST …/models/{model}:streamGenerateContent           (no alt: the chunks as one JSON array)
//
// as @google/genai (through the global fetch, in global network mode) and @ai-sdk/google (through
// its fetch option) call them, with the key in `x-goog-api-key` (or `?key=`). The service decides
// every fault; the body faults it carries change the body through the uniform hooks (wireBody.ts).
import type { HttpHandler } from 'msw';
import { applyBodyFaults } from '../../harness/faults/applyKinds.ts';
import { FaultlineError } from '../../harness/sim/errors.ts';
import { connectionError } from '../../harness/world/httpFaults.ts';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { type RouteRequestInfo, route } from '../../harness/world/route.ts';
import { WireBody, type WireEncoding } from '../wireBody.ts';
import { geminiError, unknownModel } from './errors.ts';
import { googlePretty, googleSseFrame } from './googleJson.ts';
import { parseGeminiRequest } from './request.ts';
import { geminiBody, geminiErrorEvents, geminiEvents, geminiOffSchema } from './response.ts';

const ORIGIN = 'https://generativelanguage.googleapis.com';
const PATH = /^\/(v1beta|v1|v1alpha)\/(?:models|tunedModels)\/([^/:]+):(generateContent|streamGenerateContent)$/;

const googleEncoding: WireEncoding = {
  frame: (event) => googleSseFrame(event.data),
  serialize: googlePretty,
  streamType: 'text/event-stream',
  bodyType: 'application/json; charset=UTF-8',
};

/** The route serving both generation methods of every model. */
export function generateContentRoute(service: LlmService): HttpHandler {
  const match = (url: URL): Record<string, string> | undefined => {
    if (url.origin !== ORIGIN) return undefined;
    const m = PATH.exec(url.pathname);
    return m === null ? undefined : { version: m[1] as string, model: decodeURIComponent(m[2] as string), method: m[3] as string };
  };
  return route.postWhere(`${ORIGIN}/{version}/models/{model}:{generateContent|streamGenerateContent}`, match, (info) => serve(service, info));
}

async function serve(service: LlmService, { request, params, call }: RouteRequestInfo): Promise<Response> {
  if (call === undefined) throw outsideRun(request);
  const { model = '', version = 'v1beta', method = 'generateContent' } = params;
  const url = new URL(request.url);
  if (request.headers.get('x-goog-api-key') === null && !url.searchParams.has('key') && request.headers.get('authorization') === null) {
    return geminiError(403, model);
  }
  const raw: unknown = await request.json().catch(() => undefined);
  const parsed = parseGeminiRequest(raw, model);
  if ('problem' in parsed) {
    service.refused(call.actor, model, call.span);
    return geminiError(400, model, undefined, parsed.problem);
  }
  const streaming = method === 'streamGenerateContent';
  const sse = streaming && url.searchParams.get('alt') === 'sse';
  const outcome = await service.respond({
    api: 'gemini.generateContent',
    provider: 'gemini',
    conversation: parsed.request.conversation,
    stream: sse,
    actor: call.actor,
    parentSpan: call.span,
    signal: call.signal,
  });
  if (outcome.kind === 'connection') throw connectionError(outcome.mode, url.host);
  if (outcome.kind === 'error') {
    if (outcome.type === 'not_found') return unknownModel(model, version, method);
    // The retry hint is in the body (RetryInfo); Google sends no retry-after header.
    return geminiError(outcome.status, model, outcome.rateLimit);
  }
  const events = sse || streaming ? geminiEvents(outcome) : [];
  const body = new WireBody(
    'gemini.generateContent',
    sse,
    sse ? events : [],
    sse ? undefined : streaming ? events.map((e) => e.data) : geminiBody(outcome),
    { offSchema: () => geminiOffSchema(outcome), errorEvents: (error) => geminiErrorEvents(error, model) },
    outcome.chunkDelayMs,
    googleEncoding,
  );
  applyBodyFaults(outcome.bodyFaults, body);
  return body.response(service.kernel, call.actor, {}, call.signal);
}

function outsideRun(request: Request): FaultlineError {
  return new FaultlineError('OUTSIDE_RUN', {
    what: `The simulated Gemini endpoint POST ${new URL(request.url).pathname} was asked to answer outside a simulated run`,
    todo:
      "It serves the simulated models of a run, so it only answers requests made inside simulate(): run @google/genai with simulate({ network: 'global' }), " +
      'or give @ai-sdk/google the world’s fetch (createGoogleGenerativeAI({ fetch: world.fetch }))',
  });
}
