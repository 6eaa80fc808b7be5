// The Messages endpoint, `POST {baseUrl}/messages`: reads the request, asks the simulated LLM
// service for an outcome, and renders it as the real API would — a Message, an event stream, a
// provider-shaped error, or a dropped connection. The service decides every fault; this file only
// decides how each one looks on the wire.
import type { HttpHandler } from 'msw';
import { FaultlineError } from '../../harness/sim/errors.ts';
import type { ServeContext } from '../../harness/sim/kernel.ts';
import { connectionError, json, truncatedBody } from '../../harness/world/httpFaults.ts';
import type { LlmOutcome, LlmService } from '../../harness/world/llm/llmService.ts';
import { type RouteRequestInfo, route } from '../../harness/world/route.ts';
import { sseResponse, streamPlanFor } from '../sse.ts';
import { anthropicErrorType, errorResponse } from './errorResponse.ts';
import { messageBody, offSchemaBody, type ReplyOutcome } from './messageBody.ts';
import { messageEvents, offSchemaEvents } from './messageEvents.ts';
import { type MessagesRequest, parseMessagesRequest } from './messagesRequest.ts';

/** The route serving `POST {baseUrl}/messages` from `service`. */
export function messagesRoute(service: LlmService, baseUrl: string): HttpHandler {
  const url = `${baseUrl.replace(/\/+$/, '')}/messages`;
  return route.post(url, (info) => serveMessages(service, info, url));
}

async function serveMessages(service: LlmService, { request, call }: RouteRequestInfo, url: string): Promise<Response> {
  if (call === undefined) throw outsideRun(url);
  const parsed = parseMessagesRequest(await request.json().catch(() => undefined));
  if ('problem' in parsed) return errorResponse(400, 'invalid_request_error', parsed.problem, `req_${service.newId()}`);
  const outcome = await respond(service, parsed.request, call);
  if (outcome.kind === 'connection') throw connectionError(outcome.mode, new URL(request.url).host);
  const requestId = `req_${service.newId()}`;
  if (outcome.kind === 'error') {
    // The real API names only the model in a 404's message; the harness has already recorded a
    // problem that says what to do about it.
    const message = outcome.type === 'not_found' ? `model: ${parsed.request.conversation.model}` : outcome.message;
    return errorResponse(outcome.status, anthropicErrorType(outcome.type), message, requestId, outcome.headers);
  }
  return parsed.request.stream ? streamed(service, outcome, call, requestId) : whole(outcome, requestId);
}

function respond(service: LlmService, request: MessagesRequest, call: ServeContext): Promise<LlmOutcome> {
  return service.respond({
    api: 'anthropic.messages',
    conversation: request.conversation,
    stream: request.stream,
    actor: call.actor,
    parentSpan: call.span,
    signal: call.signal,
  });
}

/** A non-streaming response: the Message (or an off-schema body), cut short by a `truncate` fault. */
async function whole(outcome: ReplyOutcome, requestId: string): Promise<Response> {
  const body = outcome.wire.offSchema ? offSchemaBody(outcome) : messageBody(outcome);
  const response = json(200, body, { 'request-id': requestId });
  const keep = outcome.wire.truncate;
  return keep === undefined ? response : truncatedBody(response, keep);
}

/** A streaming response: the events arrive over virtual time, as the outcome's stream plan says. */
function streamed(service: LlmService, outcome: ReplyOutcome, call: ServeContext, requestId: string): Response {
  const events = outcome.wire.offSchema ? offSchemaEvents(outcome) : messageEvents(outcome);
  return sseResponse(
    service.kernel,
    call.actor,
    events,
    streamPlanFor(outcome.stream, outcome.wire.truncate, events),
    { 'request-id': requestId },
    call.signal,
  );
}

function outsideRun(url: string): FaultlineError {
  return new FaultlineError('OUTSIDE_RUN', {
    what: `The simulated Anthropic route POST ${url} was asked to answer outside a simulated run`,
    todo:
      'It serves the simulated models of a run, so it only answers requests made inside simulate(): give the client ' +
      "the world's fetch (new Anthropic({ fetch: world.fetch })) or use simulate({ network: 'global' }), rather than " +
      'adding anthropicRoutes() to your own msw server',
  });
}
