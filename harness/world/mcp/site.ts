// One named simulated MCP server during a run, as the hub and its transports share it: its
// configuration, its random streams, the connections and sessions open to it, and the server
// changes that have happened to it.
import type { LatencyModel } from '../../sim/latency.ts';
import type { RandomStream } from '../../sim/rng.ts';
import type { QualifiedMcpServer } from './serverConfig.ts';
import type { Deployment, ServerFaultRule } from './serverFaults.ts';

/** One-way transit time of an MCP message on an open connection: in-process servers answer in a few milliseconds. */
export const TRANSIT: LatencyModel = { kind: 'uniform', minMs: 1, maxMs: 5 };

/** A live link to one of a site's servers: an in-process connection or an HTTP session. */
export interface LiveLink {
  /** Drops it on a fault's behalf (a timed disconnect). */
  disconnect(): void;
  /** The server forgot it (a restart): the session is over. */
  expire(): void;
}

/** Everything the hub knows about one named server during a run. */
export interface Site {
  readonly name: string;
  readonly target: string;
  readonly config: QualifiedMcpServer;
  readonly transitStream: RandomStream;
  readonly faultStream: RandomStream;
  /** Open connections and sessions, and the server each one talks to. */
  readonly live: Map<LiveLink, Deployment>;
  /** Server changes that have happened, in order: servers built later start out with them. */
  readonly changes: ServerFaultRule[];
  /** Whether this site's timed faults have been scheduled (on its first connection, once per run). */
  scheduled: boolean;
}
