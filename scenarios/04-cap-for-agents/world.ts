// The world of the shipping assistant: an order service (a world tool), a parcel carrier's HTTP API
// (served by an msw handler) and a loyalty program behind an MCP server. Each is a separate
// dependency that can go down, slow down or rate-limit on its own; the model asks for all three.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { HttpResponse, http } from 'msw';
import { z } from 'zod';
import { type Conversation, defineTool, type Message, rules } from '../../harness/index.ts';

export const MODEL = 'gpt-4o-mini';
export const CARRIER = 'https://api.parcelco.example/v1';
export const QUESTION = 'Where is my order A-17, and how many loyalty points do I have? (customer C-42)';

export const orderStatus = defineTool({
  name: 'order_status',
  description: 'The status of an order: whether it shipped, the carrier and the tracking id',
  input: z.object({ orderId: z.string() }),
  handler: ({ orderId }) => ({ orderId, status: 'shipped', carrier: 'ParcelCo', trackingId: 'PC-99812', total: 84.5 }),
});

/** The carrier's tracking API, as its public docs describe it. */
export const carrierHandlers = () => [
  http.get(`${CARRIER}/track/:id`, ({ params }) =>
    HttpResponse.json({ trackingId: params.id, status: 'in transit', eta: '2025-01-03', lastScan: 'Leipzig hub' }),
  ),
];

/** The loyalty program's MCP server, built fresh for every connection. */
export function loyaltyServer(): McpServer {
  const server = new McpServer({ name: 'loyalty', version: '2.3.0' });
  server.registerTool('points_balance', { description: "A customer's loyalty points balance", inputSchema: { customerId: z.string() } }, ({ customerId }) => ({
    content: [{ type: 'text', text: JSON.stringify({ customerId, points: 1200, tier: 'silver' }) }],
  }));
  return server;
}

interface Found {
  readonly order?: { carrier: string; trackingId: string; status: string };
  readonly tracking?: { status: string; eta: string };
  readonly points?: { points: number };
  readonly failed: string[];
}

/** What the tool results so far say: each tool's parsed answer, or that it failed. */
function found(conversation: Conversation): Found {
  const names = new Map<string, string>();
  for (const m of conversation.messages) for (const c of m.toolCalls ?? []) names.set(c.id, c.name);
  const out: { order?: Found['order']; tracking?: Found['tracking']; points?: Found['points']; failed: string[] } = { failed: [] };
  for (const m of conversation.messages.filter((x: Message) => x.role === 'tool')) {
    const name = names.get(m.toolCallId ?? '') ?? '';
    if (m.content.startsWith('ERROR')) {
      out.failed.push(name);
      continue;
    }
    const value = JSON.parse(m.content) as never;
    if (name === 'order_status') out.order = value;
    if (name === 'track_shipment') out.tracking = value;
    if (name === 'points_balance') out.points = value;
  }
  return out;
}

const called = (conversation: Conversation, name: string) => conversation.messages.some((m) => m.toolCalls?.some((c) => c.name === name));

/**
 * The model: look up the order and the points together, then track the parcel with the id the order
 * gave, then answer with what came back — naming what could not be checked.
 */
export const assistant = rules((conversation) => {
  if (!called(conversation, 'order_status')) {
    return {
      toolCalls: [
        { name: 'order_status', arguments: { orderId: 'A-17' } },
        { name: 'points_balance', arguments: { customerId: 'C-42' } },
      ],
    };
  }
  const f = found(conversation);
  if (f.order !== undefined && !called(conversation, 'track_shipment'))
    return { toolCalls: [{ name: 'track_shipment', arguments: { trackingId: f.order.trackingId } }] };
  const parts: string[] = [];
  if (f.order === undefined) parts.push('I could not check order A-17 right now: the order system is unavailable.');
  else parts.push(`Order A-17 has ${f.order.status} with ${f.order.carrier} (tracking ${f.order.trackingId}).`);
  if (f.tracking !== undefined) parts.push(`The parcel is ${f.tracking.status}, expected ${f.tracking.eta}.`);
  else if (f.order !== undefined) parts.push('I could not get live tracking from the carrier right now.');
  if (f.points !== undefined) parts.push(`You have ${f.points.points} loyalty points.`);
  else parts.push('I could not check your loyalty points right now; please try again later.');
  return parts.join(' ');
});
