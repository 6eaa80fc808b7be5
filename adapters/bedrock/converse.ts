// Bedrock's Converse and ConverseStream on the simulated LLM:
//
//   POST https://bedrock-runtime.{region}.amazonaws.com/model/{modelId}/converse
//   POST https://bedrock-runtime.{region}.amazonaws.com/model/{modelId}/converse-stream
//
// as @aws-sdk/client-bedrock-runtime (through node:http, in global network mode) and
// @ai-sdk/amazon-bedrock (through its fetch option) call them: SigV4-signed (or with a Bedrock API
// key as a bearer token), the model id URL-encoded in the path (`anthropic.claude-3-5-haiku-20241022-v1%3A0`,
// an inference profile such as `us.anthropic…`, or an ARN). Every response carries an
// `x-amzn-RequestId`. The service decides every fault; the body faults it carries change the body
// through the uniform hooks (wireBody.ts), a stream in event-stream messages.
import type { HttpHandler } from 'msw';
import { applyBodyFaults } from '../../harness/faults/applyKinds.ts';
import { FaultlineError } from '../../harness/sim/errors.ts';
import { connectionError } from '../../harness/world/httpFaults.ts';
import type { LlmService } from '../../harness/world/llm/llmService.ts';
import { type RouteRequestInfo, route } from '../../harness/world/route.ts';
import { WireBody } from '../wireBody.ts';
import { bedrockError, MESSAGES, serverException, throttlingMessage } from './errors.ts';
import { bedrockEncoding } from './eventStream.ts';
import { parseConverseRequest } from './request.ts';
import { converseBody, converseErrorEvents, converseEvents, converseOffSchema } from './response.ts';

const HOST = /^bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com$/;
const PATH = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

/** The route serving Converse and ConverseStream in every region. */
export function converseRoute(service: LlmService): HttpHandler {
  const match = (url: URL): Record<string, string> | undefined => {
    const host = HOST.exec(url.hostname);
    const path = PATH.exec(url.pathname);
    if (host === null || path === null) return undefined;
    return { region: host[1] as string, model: decodeURIComponent(path[1] as string), operation: path[2] as string };
  };
  return route.postWhere('https://bedrock-runtime.{region}.amazonaws.com/model/{modelId}/{converse|converse-stream}', match, (info) => serve(service, info));
}

async function serve(service: LlmService, { request, params, call }: RouteRequestInfo): Promise<Response> {
  if (call === undefined) throw outsideRun(request);
  const { model = '', operation } = params;
  const headers = { 'x-amzn-RequestId': service.newUuid() };
  if (request.headers.get('authorization') === null) return bedrockError('MissingAuthenticationTokenException', MESSAGES.missingToken, headers);
  const raw: unknown = await request.json().catch(() => undefined);
  const parsed = parseConverseRequest(raw, model);
  if ('problem' in parsed) {
    service.refused(call.actor, model, call.span);
    return bedrockError('ValidationException', parsed.problem, headers);
  }
  const stream = operation === 'converse-stream';
  const started = service.kernel.now();
  const outcome = await service.respond({
    api: 'bedrock.converse',
    provider: 'bedrock',
    conversation: parsed.request.conversation,
    stream,
    actor: call.actor,
    parentSpan: call.span,
    signal: call.signal,
  });
  if (outcome.kind === 'connection') throw connectionError(outcome.mode, new URL(request.url).host);
  if (outcome.kind === 'error') {
    const all = { ...outcome.headers, ...headers };
    switch (outcome.type) {
      case 'not_found':
        return bedrockError('ValidationException', MESSAGES.invalidModel, headers);
      case 'not_ready':
        return bedrockError('ModelNotReadyException', MESSAGES.notReady, headers);
      case 'rate_limit':
        // Bedrock sends no retry-after: the SDK's own backoff decides the wait.
        return bedrockError('ThrottlingException', throttlingMessage(outcome.rateLimit?.limit ?? 'requests'), headers);
      default: {
        const type = serverException(outcome.status);
        return bedrockError(type, type === 'InternalServerException' ? MESSAGES.internal : MESSAGES.serviceUnavailable, all);
      }
    }
  }
  const latencyMs = service.kernel.now() - started;
  const body = new WireBody(
    'bedrock.converse',
    stream,
    stream ? converseEvents(outcome, latencyMs, service.kernel.rng.stream('llm:bedrock-padding')) : [],
    stream ? undefined : converseBody(outcome, latencyMs),
    { offSchema: () => converseOffSchema(outcome), errorEvents: converseErrorEvents },
    outcome.chunkDelayMs,
    bedrockEncoding,
  );
  applyBodyFaults(outcome.bodyFaults, body);
  return body.response(service.kernel, call.actor, headers, call.signal);
}

function outsideRun(request: Request): FaultlineError {
  return new FaultlineError('OUTSIDE_RUN', {
    what: `The simulated Bedrock endpoint POST ${new URL(request.url).pathname} was asked to answer outside a simulated run`,
    todo:
      "It serves the simulated models of a run, so it only answers requests made inside simulate(): run @aws-sdk/client-bedrock-runtime with simulate({ network: 'global' }), " +
      'or give @ai-sdk/amazon-bedrock the world’s fetch (createAmazonBedrock({ fetch: world.fetch }))',
  });
}
