// Simulated MCP servers: real `McpServer`s from the official SDK, built fresh for every connection
// or HTTP session by the scenario's factories. An unmodified MCP `Client` reaches them in-process
// through a transport whose every message is a kernel event in virtual time, or over HTTP at each
// server's URLs (Streamable HTTP, and the legacy HTTP+SSE transport), served by the SDK's own
// server transports through world.fetch. Faults on `mcp:<server>` apply per request (latency, hang, error,
// corrupt, disconnect, and over HTTP the HTTP faults) or, once per run at `when.afterMs`, to the
// servers themselves (tool removed, renamed, schema drift, list changed, a timed disconnect, and a
// restart that forgets every session), whichever transport the agent uses. The SDK's transports
// (transports.ts) are loaded on demand, before a run with servers: a run without any never uses them.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RequestHandler } from 'msw';
import type { FaultInjector } from '../../faults/injector.ts';
import type { FaultRule } from '../../faults/plan.ts';
import { mcpTransports } from '../../onDemand.ts';
import type { Actor } from '../../sim/actors.ts';
import { FaultlineError } from '../../sim/errors.ts';
import { describeError, type Kernel } from '../../sim/kernel.ts';
import { route, withoutCallFrames } from '../route.ts';
import type { McpHttpEndpoints } from './httpEndpoints.ts';
import { isScheduled, SCHEDULED_KINDS } from './requestFaults.ts';
import type { QualifiedMcpServer } from './serverConfig.ts';
import { applyServerFault, type Deployment, deploymentOf, type ServerFaultRule, serverFaultProblems } from './serverFaults.ts';
import { type LiveLink, type Site, TRANSIT } from './site.ts';

export type { McpServerFactory } from './serverConfig.ts';
export type { LiveLink, Site };

export class McpHub {
  private readonly sites = new Map<string, Site>();
  /** Every server built in this run, to catch a factory that hands out one shared instance. */
  private readonly built = new WeakSet<object>();
  private connections = 0;
  /** Undefined when the run has no servers: nothing is served, and nothing of the SDK is needed. */
  private readonly http: McpHttpEndpoints | undefined;

  constructor(
    private readonly kernel: Kernel,
    private readonly injector: FaultInjector,
    private readonly servers: Readonly<Record<string, QualifiedMcpServer>>,
  ) {
    this.http =
      Object.keys(servers).length === 0
        ? undefined
        : new (mcpTransports.get().McpHttpEndpoints)({
            kernel,
            injector,
            site: (actor, name) => this.siteOf(actor, name),
            open: (site, actor) => this.open(site, actor),
          });
  }

  /** The msw routes that serve every server over HTTP, for the run's handler chain. */
  routes(): RequestHandler[] {
    const http = this.http;
    if (http === undefined) return [];
    return withoutCallFrames(() =>
      Object.values(this.servers).flatMap((server) => {
        const routes = [route.all(server.url.href, (info) => http.streamable(server.name, info))];
        if (server.legacy !== undefined) {
          routes.push(route.get(server.legacy.sse.href, (info) => http.legacyStream(server.name, info)));
          routes.push(route.post(server.legacy.messages.href, (info) => http.legacyMessage(server.name, info)));
        }
        return routes;
      }),
    );
  }

  /** Where server `name` is served over Streamable HTTP: `new StreamableHTTPClientTransport(new URL(world.mcp.url('crm')), { fetch: world.fetch })`. */
  url(actor: Actor, name: string, transport: 'streamable-http' | 'sse' = 'streamable-http'): string {
    const { config } = this.siteOf(actor, name, `world.mcp.url("${name}")`);
    if (transport === 'streamable-http') return config.url.href;
    if (config.legacy === undefined) {
      throw new FaultlineError('INVALID_OPTIONS', {
        what: `world.mcp.url("${name}", "sse"): MCP server "${name}" does not serve the legacy HTTP+SSE transport (its options say sseUrl: false)`,
        where: this.kernel.where(actor),
        todo: `Reach it over Streamable HTTP at ${config.url.href}, or leave sseUrl out of its options`,
      });
    }
    return config.legacy.sse.href;
  }

  /** A client-side transport connected to server `name`: `await client.connect(world.mcp.connect('crm'))`. */
  connect(actor: Actor, name: string): Transport {
    this.kernel.assertLive(actor, `world.mcp.connect("${name}")`);
    const site = this.siteOf(actor, name, `world.mcp.connect("${name}")`);
    const deployment = this.open(site, actor);
    const { InMemoryTransport, McpConnection } = mcpTransports.get();
    const [clientEnd, serverEnd] = InMemoryTransport.createLinkedPair();
    const connection = new McpConnection({
      kernel: this.kernel,
      injector: this.injector,
      actor,
      server: name,
      number: ++this.connections,
      inner: clientEnd,
      transit: TRANSIT,
      transitStream: site.transitStream,
      faultStream: site.faultStream,
      onClosed: (closed) => site.live.delete(closed),
    });
    site.live.set(connection, deployment);
    deployment.server.connect(serverEnd).catch((error: unknown) => {
      this.kernel.problem('handler-threw', `MCP server "${name}" failed to connect: ${describeError(error)}`, actor);
    });
    return connection;
  }

  /**
   * Builds a server for a new connection or session of `site`: its timed faults are scheduled on the
   * first, and a server built after a change happened starts out changed, and says nothing about it.
   */
  private open(site: Site, actor: Actor): Deployment {
    const deployment = this.deploy(site, actor);
    if (!site.scheduled) {
      site.scheduled = true;
      this.scheduleFaults(site, actor);
    }
    for (const change of site.changes) applyServerFault(change, deployment);
    return deployment;
  }

  private siteOf(actor: Actor, name: string, asked = `MCP server "${name}"`): Site {
    const known = this.sites.get(name);
    if (known !== undefined) return known;
    const config = Object.hasOwn(this.servers, name) ? this.servers[name] : undefined;
    if (config === undefined) {
      const offered =
        Object.keys(this.servers)
          .map((s) => `"${s}"`)
          .join(', ') || 'none';
      throw new FaultlineError('INVALID_OPTIONS', {
        what: `${asked}: there is no simulated MCP server "${name}"; the servers are ${offered}`,
        where: this.kernel.where(actor),
        todo: `Add it to simulate()'s options: mcp: { ${JSON.stringify(name)}: () => buildServer() }`,
      });
    }
    const site: Site = {
      name,
      target: `mcp:${name}`,
      config,
      transitStream: this.kernel.rng.stream(`mcp:${name}`),
      faultStream: this.kernel.rng.stream(`mcp:${name}:faults`),
      live: new Map(),
      changes: [],
      scheduled: false,
    };
    this.sites.set(name, site);
    return site;
  }

  /** Builds a fresh server and checks that the plan's server changes can apply to it. */
  private deploy(site: Site, actor: Actor): Deployment {
    let server: McpServer;
    try {
      server = site.config.factory();
    } catch (error) {
      throw new FaultlineError('INVALID_OPTIONS', {
        what: `The factory of MCP server "${site.name}" threw: ${describeError(error)}`,
        where: this.kernel.where(actor),
        todo: 'Fix the factory passed as simulate({ mcp }); it must return a new McpServer',
        cause: error,
      });
    }
    if (typeof (server as Partial<McpServer> | undefined)?.connect !== 'function' || this.built.has(server)) {
      throw new FaultlineError('INVALID_OPTIONS', {
        what: `The factory of MCP server "${site.name}" returned ${this.built.has(server) ? 'a server it had returned before' : 'something that is not an McpServer'}`,
        where: this.kernel.where(actor),
        todo: 'Build a new McpServer inside the factory: every connection gets its own server, so that state never leaks between runs',
      });
    }
    this.built.add(server);
    const deployment = deploymentOf(server);
    const problems = this.serverRules(site).flatMap(({ rule }) => serverFaultProblems(rule, deployment, site.name));
    if (problems.length > 0) {
      throw new FaultlineError('INVALID_FAULT_PLAN', {
        what: `The fault plan changes tools that MCP server "${site.name}" does not have`,
        where: this.kernel.where(actor),
        todo: 'Name a tool the server registers in params.tool (or leave it out for the first one)',
        details: problems,
      });
    }
    return deployment;
  }

  private serverRules(site: Site): Array<{ id: string; rule: ServerFaultRule }> {
    return this.injector
      .scheduled(site.target, SCHEDULED_KINDS)
      .filter(({ rule }) => rule.kind !== 'disconnect' && rule.kind !== 'session-expired')
      .map(({ id, rule }) => ({ id, rule: rule as ServerFaultRule }));
  }

  /**
   * Schedules this site's timed faults relative to now, each to fire once per run. Faults whose
   * time has already come fire at once, before the first server is connected.
   */
  private scheduleFaults(site: Site, actor: Actor): void {
    const now = this.kernel.now();
    for (const { id, rule, atMs } of this.injector.scheduled(site.target, SCHEDULED_KINDS)) {
      if (!isScheduled(rule)) continue;
      // A timed fault happens at most once, so its probability is drawn once, from its own stream.
      const p = rule.when?.probability;
      if (p !== undefined && !this.kernel.rng.stream(`${site.target}:schedule:${id}`).bool(p)) continue;
      if (atMs <= now) this.fire(site, id, rule, actor);
      else this.kernel.schedule(atMs - now, actor, () => this.fire(site, id, rule, actor));
    }
  }

  /** A timed fault happens: to every live server of the site, and to servers built from now on. */
  private fire(site: Site, id: string, rule: FaultRule, actor: Actor): void {
    if (this.kernel.ended) return;
    const live = [...site.live];
    const hit = this.injector.timed(id, site.target, actor.name);
    const data = { connections: live.length };
    if (rule.kind === 'disconnect' || rule.kind === 'session-expired') {
      if (live.length === 0) hit?.noEffect(`no ${rule.kind === 'disconnect' ? 'connection' : 'session'} was open when it fired`);
      else hit?.effect(data);
      for (const [link] of live) {
        if (rule.kind === 'disconnect') link.disconnect();
        else link.expire();
      }
      return;
    }
    const change = rule as ServerFaultRule;
    const deployments = live.map(([, deployment]) => deployment);
    const changed = deployments.length > 0 ? applyServerFault(change, deployments[0] as Deployment) : {};
    // A bare list_changed reaches only live connections; a real change also awaits servers built later.
    if (change.kind === 'list-changed' && live.length === 0) hit?.noEffect('no connection was open to notify');
    else hit?.effect({ ...data, ...(changed as Record<string, string>) });
    for (const deployment of deployments.slice(1)) applyServerFault(change, deployment);
    if (change.kind !== 'list-changed') site.changes.push(change);
  }
}
