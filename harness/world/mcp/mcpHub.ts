// Simulated MCP servers. (Being written: see the MCP work item.)
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Actor } from '../../sim/actors.ts';
import { FaultlineError } from '../../sim/errors.ts';
import type { Kernel } from '../../sim/kernel.ts';
import type { FaultInjector } from '../../faults/injector.ts';

/** Builds a fresh MCP server for each run (servers keep state). */
export type McpServerFactory = () => McpServer;

export class McpHub {
  constructor(
    private readonly kernel: Kernel,
    private readonly injector: FaultInjector,
    private readonly servers: Readonly<Record<string, McpServerFactory>>,
  ) {}

  /** A client-side transport connected to server `name`: `await client.connect(world.mcp.connect('crm'))`. */
  connect(actor: Actor, name: string): Transport {
    void this.injector;
    void this.servers;
    throw new FaultlineError('INVALID_OPTIONS', { what: `MCP server "${name}" cannot be connected yet`, where: this.kernel.where(actor) });
  }
}
