// The HTTP side of the simulated MCP servers: the msw routes at each server's URLs hand requests
// to that server's endpoints (built on first use): Streamable HTTP, and the legacy HTTP+SSE
// transport, served with the MCP SDK's own server transports inside the run, in virtual time.
import { STATUS_CODES } from 'node:http';
import type { FaultInjector } from '../../faults/injector.ts';
import type { Actor } from '../../sim/actors.ts';
import { FaultlineError } from '../../sim/errors.ts';
import type { Kernel, ServeContext } from '../../sim/kernel.ts';
import type { RouteRequestInfo } from '../route.ts';
import { LegacyEndpoint } from './legacyEndpoint.ts';
import type { Deployment } from './serverFaults.ts';
import type { Site } from './site.ts';
import { type EndpointContext, StreamableEndpoint } from './streamableEndpoint.ts';

export interface EndpointsContext {
  readonly kernel: Kernel;
  readonly injector: FaultInjector;
  /** The site of a server by name. */
  readonly site: (actor: Actor, name: string) => Site;
  /** Builds a server for a new session of a site. */
  readonly open: (site: Site, actor: Actor) => Deployment;
}

export class McpHttpEndpoints {
  private readonly streamables = new Map<string, StreamableEndpoint>();
  private readonly legacies = new Map<string, LegacyEndpoint>();

  constructor(private readonly context: EndpointsContext) {}

  /** Serves a request to server `name`'s Streamable HTTP URL. */
  streamable(name: string, info: RouteRequestInfo): Promise<Response> {
    const call = this.inRun(name, info);
    let endpoint = this.streamables.get(name);
    if (endpoint === undefined) {
      endpoint = new StreamableEndpoint(this.endpointContext(call, name));
      this.streamables.set(name, endpoint);
    }
    return endpoint.serve(info.request, call).then(withReason);
  }

  /** Serves the GET that opens a legacy HTTP+SSE session. */
  legacyStream(name: string, info: RouteRequestInfo): Promise<Response> {
    const call = this.inRun(name, info);
    return this.legacy(call, name).stream(call).then(withReason);
  }

  /** Serves a POST to a legacy HTTP+SSE session. */
  legacyMessage(name: string, info: RouteRequestInfo): Promise<Response> {
    const call = this.inRun(name, info);
    return this.legacy(call, name).message(info.request, call).then(withReason);
  }

  private legacy(call: ServeContext, name: string): LegacyEndpoint {
    let endpoint = this.legacies.get(name);
    if (endpoint === undefined) {
      endpoint = new LegacyEndpoint(this.endpointContext(call, name));
      this.legacies.set(name, endpoint);
    }
    return endpoint;
  }

  private endpointContext(call: ServeContext, name: string): EndpointContext {
    const { kernel, injector } = this.context;
    const site = this.context.site(call.actor, name);
    return { kernel, injector, site, open: (actor) => this.context.open(site, actor) };
  }

  private inRun(name: string, info: RouteRequestInfo): ServeContext {
    if (info.call !== undefined) return info.call;
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `MCP server "${name}" was asked for ${info.request.method} ${info.request.url} outside a simulated run`,
      todo: 'Simulated MCP servers answer only inside simulate(): reach them with world.fetch, or with network: "global"',
    });
  }
}

/**
 * The response as it reaches a client over the wire: with its status line's reason phrase, which
 * a Response built in-process lacks and clients print (`Failed to open SSE stream: Conflict`).
 */
function withReason(response: Response): Response {
  if (response.statusText !== '') return response;
  const statusText = STATUS_CODES[response.status] ?? '';
  return new Response(response.body, { status: response.status, statusText, headers: response.headers });
}
