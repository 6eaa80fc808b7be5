// The world's fetch: a deterministic, in-process fetch that resolves each request through msw
// request handlers (`getResponse`), with both halves of the exchange scheduled in virtual time.
// Official SDKs take it as their `fetch` option: `new OpenAI({ fetch: world.fetch })`.
import { getResponse, type RequestHandler } from 'msw';
import { applyBodyFaults, isBodyKind } from '../faults/applyKinds.ts';
import { type FaultInjector, firstOf, type Hit } from '../faults/injector.ts';
import { retryAfterHeaders } from '../faults/kinds/rateLimit.ts';
import { type FaultKind, kindsByLayer } from '../faults/plan.ts';
import type { Actor } from '../sim/actors.ts';
import { digestBytes } from '../sim/digest.ts';
import { FaultlineError, isFaultlineError, safeString } from '../sim/errors.ts';
import type { Kernel, ServeContext } from '../sim/kernel.ts';
import { type LatencyModel, sampleLatency } from '../sim/latency.ts';
import { redactUrl } from '../sim/redact.ts';
import { credentialsOf } from '../sim/secrets.ts';
import { connectionError, HttpBody, isNetworkError, json } from './httpFaults.ts';
import { observeBody } from './observedBody.ts';
import { type RouteInfo, routeOf } from './route.ts';

export type WorldFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export interface FetchConfig {
  readonly handlers: HandlerChain;
  readonly injector: FaultInjector;
  /** One-way latency: drawn once for the request half and once for the response half. */
  readonly latency: LatencyModel;
}

/**
 * The run's handlers in order, with runs of plain msw handlers grouped for one `getResponse` call
 * and routes kept apart for their fast lane. The first handler that answers wins, as in msw.
 */
export type HandlerChain = ReadonlyArray<{ readonly route: RouteInfo } | { readonly msw: RequestHandler[] }>;

export function chainHandlers(handlers: readonly RequestHandler[]): HandlerChain {
  const chain: Array<{ route: RouteInfo } | { msw: RequestHandler[] }> = [];
  for (const handler of handlers) {
    const route = routeOf(handler);
    const last = chain[chain.length - 1];
    if (route !== undefined) chain.push({ route });
    else if (last !== undefined && 'msw' in last) last.msw.push(handler);
    else chain.push({ msw: [handler] });
  }
  return chain;
}

/**
 * A request on its way out: what the world's fetch needs of it, with the Request object itself
 * built only when something reads it (a handler, msw, a body that is not text or bytes). On Node 20
 * a Request costs tens of microseconds (it builds an AbortSignal, headers and a body stream), often
 * more than the rest of the simulated exchange, and a route that answers without looking at the
 * request never needs one.
 */
interface Outgoing {
  /** The method as a Request would give it (the standard ones upper-cased). */
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  request(): Request;
}

/** The standard methods, which a Request upper-cases (others would go through the Request itself). */
const STANDARD_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** The init fields the light path understands; any other field makes the Request up front, so it validates as fetch would. */
const LIGHT_INIT_KEYS = new Set(['method', 'headers', 'body', 'signal']);

/**
 * The request described by fetch's arguments. The light path is taken only where it is exactly what
 * `new Request(input, init)` would give (a URL string or object, a standard method, text or bytes
 * or no body, a real signal); everything else, and every input a Request would refuse, is built as
 * a Request at once, so errors are the ones fetch throws.
 */
function outgoing(input: RequestInfo | URL, init: RequestInit | undefined): Outgoing {
  const light = init === undefined || Object.keys(init).every((k) => LIGHT_INIT_KEYS.has(k));
  if (!(input instanceof Request) && light) {
    const method = init?.method === undefined ? 'GET' : String(init.method).toUpperCase();
    const body = init?.body;
    const simpleBody = body === undefined || body === null || requestBodyDigest(body) !== undefined;
    const signal = init?.signal;
    const validSignal = signal === undefined || signal === null || signal instanceof AbortSignal;
    if (STANDARD_METHODS.has(method) && simpleBody && validSignal && !((method === 'GET' || method === 'HEAD') && body !== undefined && body !== null)) {
      const href = typeof input === 'string' ? input : String(input);
      const url = URL.canParse(href) ? new URL(href) : undefined;
      let headers: Headers | undefined;
      try {
        headers = new Headers(init?.headers);
      } catch {
        headers = undefined;
      }
      if (url !== undefined && url.username === '' && url.password === '' && headers !== undefined) {
        let request: Request | undefined;
        return { method, url, headers, request: () => (request ??= new Request(input, init)) };
      }
    }
  }
  const request = input instanceof Request && init === undefined ? input : new Request(input, init);
  return { method: request.method, url: new URL(request.url), headers: request.headers, request: () => request };
}

// The Request a route's resolver reads is built on first read. One getter serves every call (the
// call's outgoing request found through `this`): a getter made per call would give each argument
// object its own hidden class in V8's old space, keeping the run's objects alive through
// young-generation collections.
const outgoingOf = new WeakMap<object, Outgoing>();
function requestOf(this: object): Request {
  return (outgoingOf.get(this) as Outgoing).request();
}

function routeArgs<P, C>(out: Outgoing, params: P, call: C): { readonly request: Request; readonly params: P; readonly call: C } {
  const args = { params, call };
  outgoingOf.set(args, out);
  Object.defineProperty(args, 'request', { enumerable: true, configurable: true, get: requestOf });
  return args as { readonly request: Request; readonly params: P; readonly call: C };
}

async function resolve(chain: HandlerChain, out: Outgoing, kernel: Kernel, call: ServeContext): Promise<Response | undefined> {
  const { url } = out;
  for (const link of chain) {
    if ('route' in link) {
      const params = link.route.matches(out.method, url);
      if (params === undefined) continue;
      try {
        return await link.route.resolver(routeArgs(out, params, call));
      } catch (thrown) {
        // As in msw, a resolver may throw a Response to answer early.
        if (thrown instanceof Response) return thrown;
        throw thrown;
      }
    }
    if ('msw' in link) {
      // msw draws request ids from Math.random; give it its own stream so that it does not shift
      // the draws agent code sees.
      const group = link.msw;
      const request = out.request();
      const response = await kernel.globals.withMathRandom(kernel.rng.stream('kernel:msw'), () => getResponse(group, request));
      if (response !== undefined) return response;
    }
  }
  return undefined;
}

async function serveFromHandlers(kernel: Kernel, actor: Actor, chain: HandlerChain, out: Outgoing, call: ServeContext): Promise<Response> {
  const { url, method } = out;
  const shownUrl = redactUrl(url);
  let response: Response | undefined;
  try {
    response = await resolve(chain, out, kernel, call);
  } catch (error) {
    // Simulated network errors and Faultline's own errors pass through as they are.
    if (isNetworkError(error)) throw error;
    if (isFaultlineError(error)) {
      kernel.problem('handler-threw', error.message, actor);
      throw error;
    }
    const failure = new FaultlineError('HANDLER_THREW', {
      what: `The msw handler for ${method} ${shownUrl} threw: ${error instanceof Error ? safeString(error.message) : safeString(error)}`,
      where: kernel.where(actor),
      todo: 'Fix the handler, or return an error response from it (HttpResponse.json(body, { status: 500 }))',
      cause: error,
    });
    kernel.problem('handler-threw', failure.message, actor);
    throw failure;
  }
  if (response === undefined) {
    const failure = new FaultlineError('UNHANDLED_REQUEST', {
      what: `Unhandled request: ${method} ${shownUrl}`,
      where: kernel.where(actor),
      todo:
        `No msw handler matched it. Add one to the run's handlers, e.g. ` +
        `http.${method.toLowerCase()}('${url.origin}${url.pathname}', () => HttpResponse.json({ ... }))`,
    });
    kernel.problem('unhandled-request', failure.message, actor);
    throw failure;
  }
  if (response.type === 'error') {
    // HttpResponse.error(): a network error, which fetch reports as a TypeError.
    throw new TypeError('fetch failed', { cause: new Error(`network error from the handler for ${method} ${shownUrl}`) });
  }
  return response;
}

/**
 * An error body in the shape the host's clients expect: Anthropic's `{ type: 'error', error }` for
 * api.anthropic.com, the common `{ error: { message, type } }` everywhere else.
 */
function errorBody(url: URL, type: string, message: string): unknown {
  if (url.hostname.endsWith('anthropic.com')) return { type: 'error', error: { type, message } };
  return { error: { message, type: type === 'api_error' ? 'server_error' : type, param: null, code: null } };
}

/** The yield-point name of a request, e.g. `http:api.openai.com`; fault rules target it. */
export function httpTarget(url: URL): string {
  return `http:${url.host}`;
}

export function createWorldFetch(kernel: Kernel, actor: Actor, config: FetchConfig): WorldFetch {
  return function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let out: Outgoing;
    try {
      out = outgoing(input, init);
    } catch (error) {
      return Promise.reject(error);
    }
    const { url, method } = out;
    kernel.rememberSecrets(credentialsOf(url, out.headers));
    const target = httpTarget(url);
    const shownUrl = redactUrl(url);
    const what = `fetch ${method} ${shownUrl}`;
    const latency = kernel.rng.stream(`latency:${target}`);
    const body = init === undefined ? undefined : requestBodyDigest(init.body);
    const timing = {
      requestMs: sampleLatency(config.latency, latency),
      responseMs: sampleLatency(config.latency, latency),
    };
    return kernel.call<Response>(
      {
        actor,
        kind: 'fetch',
        target,
        what,
        data: body === undefined ? { method, url: shownUrl } : { method, url: shownUrl, body },
        summarize: (response) => ({ status: response.status }),
        // Reading request.signal makes undici build an AbortSignal; only do so when there is one.
        signal: init?.signal ?? (input instanceof Request ? input.signal : undefined),
      },
      timing,
      async (call) => {
        if (body === undefined && (init?.body != null || input instanceof Request)) {
          const request = out.request();
          if (request.body !== null) await recordRequestBody(kernel, actor, call.span, request);
        }
        const hits = config.injector.decide(target, actor.name, kindsByLayer.http as FaultKind[], call.span);
        for (const hit of hits) {
          if (hit.kind !== 'latency') continue;
          const ms = sampleLatency(hit.params.latency, latency);
          if (ms > 0) hit.effect({ ms });
          await kernel.delay(actor, ms);
        }
        const early = earlyAnswer(hits, url, kernel);
        if (early !== undefined) return early;
        let response = await serveFromHandlers(kernel, actor, config.handlers, out, call);
        const lost = firstOf(hits, 'lost-ack');
        if (lost !== undefined) {
          // The handler ran (its side effects happened); the reply is lost on the way back, or late.
          lost.effect({ mode: lost.params.mode, ...(lost.params.mode === 'late' ? { lateMs: lost.params.lateMs } : {}) });
          if (lost.params.mode === 'reset') throw connectionError('reset', url.host);
          await kernel.delay(actor, lost.params.lateMs);
        }
        const bodyHits = hits.filter(isBodyKind);
        if (bodyHits.length > 0) {
          const body = new HttpBody(response);
          applyBodyFaults(bodyHits, body);
          response = await body.finish(kernel, actor, call.signal);
        }
        Object.defineProperty(response, 'url', { value: url.href });
        return observeBody(response, (read) => {
          if (!kernel.ended)
            kernel.trace.record({
              type: 'mark',
              name: 'observed',
              actor: actor.name,
              span: call.span,
              data: { response: read.digest, bytes: read.bytes, complete: read.complete },
            });
        });
      },
    );
  };
}

/**
 * The digest of a request body given as text or bytes (what SDKs send), or undefined when there is
 * none or it is a stream, form or blob (read in `recordRequestBody` instead).
 */
function requestBodyDigest(body: RequestInit['body']): string | undefined {
  if (typeof body === 'string') return digestBytes(body);
  if (body instanceof URLSearchParams) return digestBytes(body.toString());
  if (body instanceof ArrayBuffer) return digestBytes(new Uint8Array(body));
  if (ArrayBuffer.isView(body)) return digestBytes(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  return undefined;
}

/** Digests a request body that is not plain text or bytes by reading a copy of it. */
async function recordRequestBody(kernel: Kernel, actor: Actor, span: number, request: Request): Promise<void> {
  const bytes = new Uint8Array(await request.clone().arrayBuffer());
  kernel.trace.record({ type: 'mark', name: 'observed', actor: actor.name, span, data: { request: digestBytes(bytes), bytes: bytes.byteLength } });
}

/** The answer of a fault that answers before any handler runs (outage, hang, 429, 5xx), recording its effect. */
function earlyAnswer(hits: readonly Hit[], url: URL, kernel: Kernel): Promise<Response> | Response | undefined {
  const outage = firstOf(hits, 'outage');
  if (outage !== undefined) {
    outage.effect({ mode: outage.params.mode });
    throw connectionError(outage.params.mode, url.host);
  }
  const hang = firstOf(hits, 'hang');
  if (hang !== undefined) {
    hang.effect();
    return new Promise<Response>(() => undefined);
  }
  const limited = firstOf(hits, 'rate-limit');
  if (limited !== undefined) {
    limited.effect({ status: 429, retryAfterMs: limited.params.retryAfterMs });
    return json(429, errorBody(url, 'rate_limit_error', 'Rate limit exceeded'), retryAfterHeaders(limited.params, kernel.startTime + kernel.now()));
  }
  const failed = firstOf(hits, 'server-error');
  if (failed !== undefined) {
    failed.effect({ status: failed.params.status });
    const type = failed.params.status === 529 ? 'overloaded_error' : 'api_error';
    return json(failed.params.status, errorBody(url, type, failed.params.message ?? 'Internal server error'));
  }
  return undefined;
}
