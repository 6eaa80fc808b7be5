// Routes: msw request handlers with a fast lane. `route.post(url, resolver)` returns a genuine msw
// HttpHandler, so it works anywhere msw handlers do (setupServer included), and it also carries a
// precompiled matcher that the world's fetch uses directly, skipping msw's per-request work
// (request cloning, cookie parsing, path compilation, abort bookkeeping), which costs about a
// quarter of a millisecond per request on Node 20. Faultline's own adapters are routes; users may
// use them too for hot endpoints.
import { type HttpHandler, http } from 'msw';
import { match } from 'path-to-regexp';
import type { ServeContext } from '../sim/kernel.ts';

const ROUTE = Symbol.for('faultline.route');

export interface RouteRequestInfo {
  readonly request: Request;
  readonly params: Readonly<Record<string, string>>;
  /**
   * The world call being served (its span, actor and abort signal). Present whenever the route is
   * served by a simulated run's fetch; absent when plain msw resolves the handler outside a run.
   */
  readonly call?: ServeContext;
}

export type RouteResolver = (info: RouteRequestInfo) => Response | Promise<Response>;

export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  /** The path parameters when `request` matches this route, otherwise undefined. */
  matches(method: string, url: URL): Record<string, string> | undefined;
  readonly resolver: RouteResolver;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'all';

type PathMatcher = ReturnType<typeof match<Record<string, string>>>;
/** Compiled path patterns, by pattern: routes are made for every run, and compiling is most of a route's own cost. */
const matchers = new Map<string, PathMatcher>();

function pathMatcher(pathname: string): PathMatcher {
  let matcher = matchers.get(pathname);
  if (matcher === undefined) {
    matcher = match<Record<string, string>>(pathname, { decode: decodeURIComponent });
    if (matchers.size < 1_000) matchers.set(pathname, matcher);
  }
  return matcher;
}

function create(method: Method, url: string, resolver: RouteResolver): HttpHandler {
  const parsed = new URL(url);
  const origin = parsed.origin;
  const matchPath = pathMatcher(parsed.pathname);
  const wantMethod = method.toUpperCase();
  const info: RouteInfo = {
    method: wantMethod,
    url,
    matches(requestMethod, requestUrl) {
      if (wantMethod !== 'ALL' && requestMethod !== wantMethod) return undefined;
      if (requestUrl.origin !== origin) return undefined;
      const result = matchPath(requestUrl.pathname);
      return result === false ? undefined : result.params;
    },
    resolver,
  };
  const handler = http[method](url, ({ request, params }) => resolver({ request, params: params as Record<string, string> }));
  Object.defineProperty(handler, ROUTE, { value: info });
  return handler;
}

/**
 * A route over every URL `match` accepts, for endpoints whose host varies (an Azure resource, an
 * AWS region): `match` returns the path parameters, or undefined. `url` describes it in messages.
 */
function where(method: Method, url: string, match: (url: URL) => Record<string, string> | undefined, resolver: RouteResolver): HttpHandler {
  const wantMethod = method.toUpperCase();
  const info: RouteInfo = {
    method: wantMethod,
    url,
    matches(requestMethod, requestUrl) {
      if (wantMethod !== 'ALL' && requestMethod !== wantMethod) return undefined;
      return match(requestUrl);
    },
    resolver,
  };
  const handler = http[method](
    ({ request }) => {
      const params = match(new URL(request.url));
      return params === undefined ? false : { matches: true, params };
    },
    ({ request, params }) => resolver({ request, params: params as Record<string, string> }),
  );
  Object.defineProperty(handler, ROUTE, { value: info });
  return handler;
}

/** Builders for routes, one per HTTP method, in msw's shape: `route.post(url, ({ request, params }) => Response)`. */
export const route = {
  get: (url: string, resolver: RouteResolver) => create('get', url, resolver),
  post: (url: string, resolver: RouteResolver) => create('post', url, resolver),
  put: (url: string, resolver: RouteResolver) => create('put', url, resolver),
  patch: (url: string, resolver: RouteResolver) => create('patch', url, resolver),
  delete: (url: string, resolver: RouteResolver) => create('delete', url, resolver),
  all: (url: string, resolver: RouteResolver) => create('all', url, resolver),
  /** A POST route over every URL `match` accepts: `route.postWhere(description, (url) => params | undefined, resolver)`. */
  postWhere: (url: string, match: (url: URL) => Record<string, string> | undefined, resolver: RouteResolver) => where('post', url, match, resolver),
};

/**
 * Builds Faultline's own routes (the simulated providers', the MCP servers') without msw's call
 * frames: msw captures a stack trace in every handler it makes, for its own debug output, which was
 * ~90% of the cost of making one (~20 µs of ~23 µs on Node 20), and these handlers are made for
 * every run and point into Faultline, not the user's code. Synchronous: the limit is put back before
 * anything else runs.
 */
export function withoutCallFrames<T>(build: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The route behind an msw handler, if it is one. */
export function routeOf(handler: unknown): RouteInfo | undefined {
  return typeof handler === 'object' && handler !== null ? (handler as { [ROUTE]?: RouteInfo })[ROUTE] : undefined;
}
