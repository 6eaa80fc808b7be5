// The ticketing service, an MCP server deployed on its own schedule. Its create_ticket tool takes a
// priority that defaults to "normal": the kind of optional field through which a renamed parameter
// goes unnoticed, because the SDK's object schemas drop keys they do not know.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface Ticket {
  readonly id: string;
  readonly service: string;
  readonly title: string;
  readonly priority: Priority;
}

export const TICKETS_SERVER = 'tickets';

/** A fresh server per connection, as the hub requires; ticket ids count from 1 within it. */
export function buildTicketsServer(): McpServer {
  const server = new McpServer({ name: TICKETS_SERVER, version: '3.2.0' });
  let filed = 0;
  server.registerTool(
    'create_ticket',
    {
      description: 'Opens an incident ticket',
      inputSchema: { service: z.string(), title: z.string().min(1), priority: z.enum(PRIORITIES).default('normal') },
    },
    ({ service, title, priority }) => {
      filed++;
      const ticket: Ticket = { id: `TCK-${1000 + filed}`, service, title, priority };
      return { content: [{ type: 'text', text: JSON.stringify(ticket) }] };
    },
  );
  return server;
}
