// Three MCP servers owned by three different teams, built with the official McpServer: a CRM, a
// billing service and a help-centre search. Nobody coordinates their deployments, so any of them
// can vanish, shake hands slowly, or change its tool list in the middle of an agent's session.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const json = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value) }] });

export function crmServer(): McpServer {
  const server = new McpServer({ name: 'crm', version: '4.1.0' });
  const notes: string[] = [];
  server.registerTool('lookup_customer', { description: 'Look up a customer by id', inputSchema: { customerId: z.string() } }, ({ customerId }) =>
    json({ customerId, name: 'Ada Lovelace', plan: 'pro', since: '2019-03-14' }),
  );
  server.registerTool(
    'add_note',
    { description: "Attach a note to a customer's account", inputSchema: { customerId: z.string(), text: z.string() } },
    ({ customerId, text }) => {
      notes.push(`${customerId}: ${text}`);
      return json({ customerId, notes: notes.length });
    },
  );
  return server;
}

export function billingServer(): McpServer {
  const server = new McpServer({ name: 'billing', version: '2.0.3' });
  server.registerTool('get_invoice', { description: 'An invoice with its charges', inputSchema: { invoiceId: z.string() } }, ({ invoiceId }) =>
    json({ invoiceId, amount: 120, currency: 'USD', charges: 2, status: 'paid' }),
  );
  return server;
}

export function kbServer(): McpServer {
  const server = new McpServer({ name: 'kb', version: '0.9.0' });
  server.registerTool('search_articles', { description: 'Search help-centre articles', inputSchema: { query: z.string() } }, ({ query }) =>
    json({ query, articles: [{ id: 'KB-311', title: 'Duplicate charges are refunded within 5 business days' }] }),
  );
  return server;
}

export const servers = { crm: crmServer, billing: billingServer, kb: kbServer };
