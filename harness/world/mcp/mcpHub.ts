// Simulated MCP servers: real `McpServer`s from the official SDK, built fresh for every connection
// by the scenario's factories, reached by an unmodified MCP `Client` through a transport whose
// every message is a kernel event in virtual time. Faults on `mcp:<server>` apply per request
// (latency, hang, error, corrupt, disconnect) or, once per run at `when.afterMs`, to the servers
// themselves (tool removed, renamed, schema drift, list changed, and a timed disconnect).
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { FaultInjector } from '../../faults/injector.ts';
import type { FaultRule } from '../../faults/plan.ts';
import type { Actor } from '../../sim/actors.ts';
import { FaultlineError } from '../../sim/errors.ts';
import { describeError, type Kernel } from '../../sim/kernel.ts';
import type { LatencyModel } from '../../sim/latency.ts';
import type { RandomStream } from '../../sim/rng.ts';
import { McpConnection } from './mcpConnection.ts';
import { isScheduled, SCHEDULED_KINDS } from './requestFaults.ts';
import { applyServerFault, type Deployment, deploymentOf, type ServerFaultRule, serverFaultProblems } from './serverFaults.ts';

/** Builds a fresh MCP server for each connection (servers keep state; a run must be a pure function of its seed). */
export type McpServerFactory = () => McpServer;

/** One-way transit time of an MCP message: in-process servers answer in a few milliseconds. */
const TRANSIT: LatencyModel = { kind: 'uniform', minMs: 1, maxMs: 5 };

/** Everything the hub knows about one named server during a run. */
interface Site {
  readonly name: string;
  readonly target: string;
  readonly factory: McpServerFactory;
  readonly transitStream: RandomStream;
  readonly faultStream: RandomStream;
  /** Open connections and the server each one talks to. */
  readonly live: Map<McpConnection, Deployment>;
  /** Server changes that have happened, in order: servers built later start out with them. */
  readonly changes: ServerFaultRule[];
  /** Whether this site's timed faults have been scheduled (on its first connection, once per run). */
  scheduled: boolean;
}

export class McpHub {
  private readonly sites = new Map<string, Site>();
  /** Every server built in this run, to catch a factory that hands out one shared instance. */
  private readonly built = new WeakSet<object>();
  private connections = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly injector: FaultInjector,
    private readonly servers: Readonly<Record<string, McpServerFactory>>,
  ) {}

  /** A client-side transport connected to server `name`: `await client.connect(world.mcp.connect('crm'))`. */
  connect(actor: Actor, name: string): Transport {
    this.kernel.assertLive(actor, `world.mcp.connect("${name}")`);
    const site = this.siteOf(actor, name);
    const deployment = this.deploy(site, actor);
    if (!site.scheduled) {
      site.scheduled = true;
      this.scheduleFaults(site, actor);
    }
    // A server built after a change happened starts out changed, and says nothing about it.
    for (const change of site.changes) applyServerFault(change, deployment);
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

  private siteOf(actor: Actor, name: string): Site {
    const known = this.sites.get(name);
    if (known !== undefined) return known;
    const factory = Object.hasOwn(this.servers, name) ? this.servers[name] : undefined;
    if (typeof factory !== 'function') {
      const offered =
        Object.keys(this.servers)
          .map((s) => `"${s}"`)
          .join(', ') || 'none';
      throw new FaultlineError('INVALID_OPTIONS', {
        what: `world.mcp.connect("${name}"): there is no simulated MCP server "${name}"; the servers are ${offered}`,
        where: this.kernel.where(actor),
        todo: `Add it to simulate()'s options: mcp: { ${JSON.stringify(name)}: () => buildServer() }`,
      });
    }
    const site: Site = {
      name,
      target: `mcp:${name}`,
      factory,
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
      server = site.factory();
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
      .filter(({ rule }) => rule.kind !== 'disconnect')
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
    if (rule.kind === 'disconnect') {
      if (live.length === 0) hit?.noEffect('no connection was open when it fired');
      else hit?.effect(data);
      for (const [connection] of live) connection.disconnect();
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
