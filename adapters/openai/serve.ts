// The path every OpenAI request takes, whichever API it speaks: parse the wire request into a
// Conversation, ask the simulated service, and render its outcome — an answer (JSON or SSE), a
// provider-shaped error, or a dropped connection — letting the body faults the outcome carries
// change the body through the uniform hooks (adapters/wireBody.ts).

import { applyBodyFaults } from '../../harness/faults/applyKinds.ts';
import type { InStreamError } from '../../harness/faults/hooks.ts';
import { connectionError } from '../../harness/world/httpFaults.ts';
import type { ApiName, Conversation } from '../../harness/world/llm/conversation.ts';
import type { LlmOutcome, LlmService } from '../../harness/world/llm/llmService.ts';
import type { RouteResolver } from '../../harness/world/route.ts';
import type { SseEvent } from '../sse.ts';
import { WireBody } from '../wireBody.ts';
import { isRequestProblem, outsideRun, type RequestProblem, requestProblem } from './errors.ts';
import { type OpenAiHost, openaiHost } from './host.ts';

export type ReplyOutcome = Extract<LlmOutcome, { kind: 'reply' }>;

/** What every parsed request carries; each API adds the fields it echoes back. */
export interface WireRequest {
  readonly conversation: Conversation;
  readonly stream: boolean;
  /** How many answers to produce (Chat Completions `n`; 1 elsewhere). */
  readonly n?: number;
}

/** One OpenAI API: how its requests read and its answers look. */
export interface WireApi<R extends WireRequest> {
  readonly api: ApiName;
  parse(body: Record<string, unknown>): R | RequestProblem;
  /** The whole answer, for a non-streaming request. */
  body(reply: ReplyOutcome, request: R): unknown;
  /** The answer as server-sent events, for a streaming request. */
  events(reply: ReplyOutcome, request: R): SseEvent[];
  /** A 200 body that does not match the API's schema (an `off-schema` fault), whole or streamed. */
  offSchema(reply: ReplyOutcome, request: R): { readonly body: unknown; readonly events: SseEvent[] };
  /** The API's own in-stream error event(s), sent at content boundary `at` of `events` (a `stream-error` fault). */
  errorEvents(error: InStreamError, events: readonly SseEvent[], at: number, reply: ReplyOutcome, request: R): SseEvent[];
  /** Called with every answer the model produced, however it is then rendered or damaged. */
  onReply?(reply: ReplyOutcome, request: R): void;
}

/** A route resolver serving `wire` from `service`, as `host` serves it (api.openai.com by default). */
export function serveWith<R extends WireRequest>(service: LlmService, wire: WireApi<R>, host: OpenAiHost = openaiHost()): RouteResolver {
  return async ({ request, params, call }) => {
    if (call === undefined) throw outsideRun(request);
    const refused = host.admit?.(request, params);
    if (refused !== undefined) return refused;
    const headers = host.requestHeaders(service);
    const parsed = await readRequest(request, wire, host.pathModel?.(params));
    if (isRequestProblem(parsed)) {
      service.refused(call.actor, modelOf(parsed), call.span);
      return host.invalid(parsed, headers);
    }
    const outcome = await service.respond({
      api: wire.api,
      provider: host.provider,
      conversation: parsed.conversation,
      stream: parsed.stream,
      actor: call.actor,
      parentSpan: call.span,
      signal: call.signal,
      ...(parsed.n === undefined ? {} : { n: parsed.n }),
    });
    if (outcome.kind === 'connection') throw connectionError(outcome.mode, new URL(request.url).host);
    Object.assign(headers, host.quotaHeaders(service, outcome.kind === 'error' ? outcome.rateLimit : undefined));
    if (outcome.kind === 'error') return host.error(outcome, parsed.conversation.model, headers, request);
    wire.onReply?.(outcome, parsed);
    const events = parsed.stream ? wire.events(outcome, parsed) : [];
    const whole = parsed.stream ? undefined : wire.body(outcome, parsed);
    const body = new WireBody(
      wire.api,
      parsed.stream,
      parsed.stream && host.events !== undefined ? host.events(events) : events,
      whole !== undefined && host.body !== undefined ? host.body(whole) : whole,
      {
        offSchema: () => wire.offSchema(outcome, parsed),
        errorEvents: (error, rendered, at) => wire.errorEvents(error, rendered, at, outcome, parsed),
      },
      outcome.chunkDelayMs,
      host.encoding,
    );
    applyBodyFaults(outcome.bodyFaults, body);
    return body.response(service.kernel, call.actor, headers, call.signal);
  };
}

/** The model a refused request named, for the attempt it still counts as. */
function modelOf(problem: RequestProblem): string {
  return problem.model ?? 'unknown';
}

async function readRequest<R extends WireRequest>(request: Request, wire: WireApi<R>, pathModel: string | undefined): Promise<R | RequestProblem> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return requestProblem('We could not parse the JSON body of your request. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return requestProblem(
      `Invalid type for request body: expected an object, but got ${Array.isArray(body) ? 'an array' : typeof body} instead.`,
      null,
      'invalid_type',
    );
  }
  // A deployment named in the path is the model, whatever the body says (Azure OpenAI).
  if (pathModel !== undefined) (body as Record<string, unknown>).model = pathModel;
  const parsed = wire.parse(body as Record<string, unknown>);
  const model = (body as { model?: unknown }).model;
  return isRequestProblem(parsed) && typeof model === 'string' ? { ...parsed, model } : parsed;
}

/** A `missing_required_parameter` problem, worded as the real API words it. */
export function missing(param: string): RequestProblem {
  return requestProblem(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
}

/** An `invalid_type` problem, worded as the real API words it. */
export function invalidType(param: string, expected: string, got: unknown): RequestProblem {
  const actual = got === null ? 'null' : Array.isArray(got) ? 'an array' : typeof got;
  return requestProblem(`Invalid type for '${param}': expected ${expected}, but got ${actual} instead.`, param, 'invalid_type');
}
