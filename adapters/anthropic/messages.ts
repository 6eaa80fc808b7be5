// The Messages endpoint, `POST {baseUrl}/messages`: reads the request, asks the simulated LLM
// service for an outcome, and renders it as the real API would — a Message, an event stream, a
// provider-shaped error, or a dropped connection — with the rate-limit headers the API sends on
// every response. The service decides every fault; the body faults it carries change the body
// through the uniform hooks (adapters/wireBody.ts).
import type { HttpHandler } from 'msw';
import { applyBodyFaults } from '../../harness/faults/applyKinds.ts';
import { anthropicRateLimitHeaders, anthropicRateLimitMessage } from '../../harness/faults/kinds/rateLimit.ts';
import { FaultlineError } from '../../harness/sim/errors.ts';
import type { ServeContext } from '../../harness/sim/kernel.ts';
import { connectionError } from '../../harness/world/httpFaults.ts';
import type { LlmOutcome, LlmService } from '../../harness/world/llm/llmService.ts';
import { type RouteRequestInfo, route } from '../../harness/world/route.ts';
import { WireBody } from '../wireBody.ts';
import { anthropicErrorType, errorResponse } from './errorResponse.ts';
import { messageBody, offSchemaBody, type ReplyOutcome } from './messageBody.ts';
import { errorEvents, messageEvents, offSchemaEvents } from './messageEvents.ts';
import { type MessagesRequest, parseMessagesRequest } from './messagesRequest.ts';

/** The route serving `POST {baseUrl}/messages` from `service`. */
export function messagesRoute(service: LlmService, baseUrl: string): HttpHandler {
  const url = `${baseUrl.replace(/\/+$/, '')}/messages`;
  return route.post(url, (info) => serveMessages(service, info, url));
}

async function serveMessages(service: LlmService, { request, call }: RouteRequestInfo, url: string): Promise<Response> {
  if (call === undefined) throw outsideRun(url);
  const raw: unknown = await request.json().catch(() => undefined);
  const parsed = parseMessagesRequest(raw);
  if ('problem' in parsed) {
    const model = (raw as { model?: unknown } | undefined)?.model;
    service.refused(call.actor, typeof model === 'string' ? model : 'unknown', call.span);
    return errorResponse(400, 'invalid_request_error', parsed.problem, `req_${service.newId()}`);
  }
  const outcome = await respond(service, parsed.request, call);
  if (outcome.kind === 'connection') throw connectionError(outcome.mode, new URL(request.url).host);
  const requestId = `req_${service.newId()}`;
  const nowMs = service.kernel.startTime + service.kernel.now();
  const limits = anthropicRateLimitHeaders(service.quota(outcome.kind === 'error' ? outcome.rateLimit : undefined), nowMs);
  if (outcome.kind === 'error') {
    // The real API names only the model in a 404's message; the harness has already recorded a
    // problem that says what to do about it.
    const message =
      outcome.type === 'not_found'
        ? `model: ${parsed.request.conversation.model}`
        : outcome.type === 'rate_limit'
          ? anthropicRateLimitMessage(outcome.rateLimit?.limit ?? 'requests')
          : outcome.message;
    return errorResponse(outcome.status, anthropicErrorType(outcome.type), message, requestId, { ...limits, ...outcome.headers });
  }
  const stream = parsed.request.stream;
  const body = new WireBody(
    'anthropic.messages',
    stream,
    stream ? messageEvents(outcome) : [],
    stream ? undefined : messageBody(outcome),
    { offSchema: () => ({ body: offSchemaBody(outcome), events: offSchemaEvents(outcome) }), errorEvents },
    outcome.chunkDelayMs,
  );
  applyBodyFaults(outcome.bodyFaults, body);
  return body.response(service.kernel, call.actor, { ...limits, 'request-id': requestId }, call.signal);
}

function respond(service: LlmService, request: MessagesRequest, call: ServeContext): Promise<LlmOutcome> {
  return service.respond({
    api: 'anthropic.messages',
    provider: 'anthropic',
    conversation: request.conversation,
    stream: request.stream,
    actor: call.actor,
    parentSpan: call.span,
    signal: call.signal,
  });
}

export type { ReplyOutcome };

function outsideRun(url: string): FaultlineError {
  return new FaultlineError('OUTSIDE_RUN', {
    what: `The simulated Anthropic route POST ${url} was asked to answer outside a simulated run`,
    todo:
      'It serves the simulated models of a run, so it only answers requests made inside simulate(): give the client ' +
      "the world's fetch (new Anthropic({ fetch: world.fetch })) or use simulate({ network: 'global' }), rather than " +
      'adding anthropicRoutes() to your own msw server',
  });
}
