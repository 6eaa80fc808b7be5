// Two incident-triage agents: classify the report with a model, have it title the ticket, file the
// ticket on the MCP ticketing server. The naive one calls the moving `gpt-4o` alias twice, parses
// the JSON it gets with a cast, maps severity to priority through a lookup table, and sends the
// arguments its code was written against. The hardened one pins the model snapshot and checks that
// every answer came from it, validates the classification with zod, re-reads the tool's live input
// schema before calling it, and checks the ticket the server echoes back; any mismatch escalates.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import OpenAI from 'openai';
import { z } from 'zod';
import type { World } from '../../harness/index.ts';
import { type Priority, TICKETS_SERVER, type Ticket } from './tickets.ts';
import { ALIAS, CLASSIFY_SYSTEM, type Impact, PINNED, TITLE_SYSTEM } from './triageModels.ts';

export interface Incident {
  readonly service: string;
  readonly impact: Impact;
  /** `checkout: every payment fails. Impact: outage.` */
  readonly report: string;
}

export type TriageResult =
  | { readonly status: 'filed'; readonly ticket: Ticket }
  | { readonly status: 'escalated'; readonly reason: string; readonly ticket?: Ticket };

/** Severity 1 is the worst. */
const PRIORITY_BY_SEVERITY: Readonly<Record<number, Priority>> = { 1: 'urgent', 2: 'high', 3: 'normal', 4: 'low' };

const openai = (world: World) => new OpenAI({ apiKey: 'sk-sim', fetch: world.fetch, maxRetries: 2, timeout: 30_000 });

async function ticketsClient(world: World): Promise<Client> {
  const client = new Client({ name: 'triage-agent', version: '1.4.0' });
  await client.connect(world.mcp.connect(TICKETS_SERVER));
  return client;
}

const textOf = (result: unknown): string =>
  ((result as { content?: Array<{ type: string; text?: string }> }).content ?? []).find((c) => c.type === 'text')?.text ?? '';

export async function naive(world: World, incident: Incident): Promise<TriageResult> {
  const llm = openai(world);
  const classified = await llm.chat.completions.create({
    model: ALIAS,
    messages: [
      { role: 'system', content: CLASSIFY_SYSTEM },
      { role: 'user', content: incident.report },
    ],
  });
  const triage = JSON.parse(classified.choices[0]?.message.content ?? '{}') as { severity: number };
  const titled = await llm.chat.completions.create({
    model: ALIAS,
    messages: [
      { role: 'system', content: TITLE_SYSTEM },
      { role: 'user', content: `Severity: ${triage.severity}. Incident: ${incident.report}` },
    ],
  });
  const title = titled.choices[0]?.message.content ?? incident.report;
  const tickets = await ticketsClient(world);
  const result = await tickets.callTool({
    name: 'create_ticket',
    arguments: { service: incident.service, title, priority: PRIORITY_BY_SEVERITY[triage.severity] },
  });
  await tickets.close();
  return { status: 'filed', ticket: JSON.parse(textOf(result)) as Ticket };
}

const classification = z.object({ severity: z.number().int().min(1).max(4), reason: z.string() });

/** Why the live create_ticket schema no longer takes what this agent sends, or undefined when it does. */
function contractMismatch(
  tool: { inputSchema: { properties?: Record<string, object>; required?: string[] } } | undefined,
  priority: Priority,
): string | undefined {
  if (tool === undefined) return 'the ticketing server no longer offers create_ticket';
  const properties = tool.inputSchema.properties ?? {};
  const fields = Object.keys(properties);
  const missing = ['service', 'title', 'priority'].filter((f) => !fields.includes(f));
  if (missing.length > 0) return `create_ticket's schema changed: it has no ${missing.join(', ')} (its fields are ${fields.join(', ')})`;
  const unknown = (tool.inputSchema.required ?? []).filter((f) => !['service', 'title', 'priority'].includes(f));
  if (unknown.length > 0) return `create_ticket now requires ${unknown.join(', ')}`;
  const allowed = (properties.priority as { enum?: unknown[] }).enum;
  if (allowed !== undefined && !allowed.includes(priority)) return `create_ticket no longer accepts priority "${priority}"`;
  return undefined;
}

/** One model call to the pinned snapshot, refusing an answer from any other. */
async function askPinned(llm: OpenAI, system: string, user: string): Promise<string> {
  const completion = await llm.chat.completions.create({
    model: PINNED,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
  });
  if (completion.model !== PINNED) throw new Error(`the answer came from ${completion.model}, not the pinned ${PINNED}`);
  const text = completion.choices[0]?.message.content;
  if (typeof text !== 'string' || text === '') throw new Error(`${PINNED} gave no answer`);
  return text;
}

export async function hardened(world: World, incident: Incident): Promise<TriageResult> {
  const llm = openai(world);
  let severity: number;
  let title: string;
  try {
    const parsed = classification.safeParse(JSON.parse(await askPinned(llm, CLASSIFY_SYSTEM, incident.report)));
    if (!parsed.success)
      return {
        status: 'escalated',
        reason: `the classification is off-contract: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      };
    severity = parsed.data.severity;
    title = await askPinned(llm, TITLE_SYSTEM, `Severity: ${severity}. Incident: ${incident.report}`);
  } catch (error) {
    return { status: 'escalated', reason: `triage failed: ${(error as Error).message}` };
  }
  const priority = PRIORITY_BY_SEVERITY[severity] as Priority;
  const tickets = await ticketsClient(world);
  try {
    const { tools } = await tickets.listTools(undefined, { timeout: 5_000 });
    const mismatch = contractMismatch(
      tools.find((t) => t.name === 'create_ticket'),
      priority,
    );
    if (mismatch !== undefined) return { status: 'escalated', reason: mismatch };
    const result = await tickets.callTool({ name: 'create_ticket', arguments: { service: incident.service, title, priority } }, undefined, { timeout: 5_000 });
    if (result.isError === true) return { status: 'escalated', reason: `create_ticket failed: ${textOf(result)}` };
    const ticket = JSON.parse(textOf(result)) as Ticket;
    // The schema can change between the listing and the call: trust only what the server filed.
    if (ticket.priority !== priority || ticket.title !== title || ticket.service !== incident.service) {
      return { status: 'escalated', reason: `ticket ${ticket.id} was filed as ${JSON.stringify(ticket)}, not as requested; it needs a human`, ticket };
    }
    return { status: 'filed', ticket };
  } finally {
    await tickets.close();
  }
}
