// What the MCP-over-HTTP tests share: a CRM server built with the SDK whose lookup reports
// progress, and readers of a run's trace (marks by name, mcp spans) and of tool results.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { type RunResult, spansOf, type TraceEvent } from '../../harness/index.ts';

/** A CRM server whose lookup reports progress twice before it answers. */
export function buildCrm(): McpServer {
  const server = new McpServer({ name: 'crm', version: '1.0.0' });
  server.registerTool('lookup', { description: 'Look up a customer by id', inputSchema: { id: z.string() } }, async ({ id }, extra) => {
    const token = extra._meta?.progressToken;
    if (token !== undefined) {
      for (const progress of [1, 2]) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total: 3 } });
    }
    return { content: [{ type: 'text', text: JSON.stringify({ id, name: 'Ada Lovelace' }) }] };
  });
  return server;
}

export const INFO = { name: 'agent', version: '1.0.0' };

export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.find((c) => c.type === 'text')?.text ?? '';
}

export const marks = (r: RunResult, name: string) => r.trace.filter((e): e is Extract<TraceEvent, { type: 'mark' }> => e.type === 'mark' && e.name === name);
export const mcpSpans = (r: RunResult) => spansOf(r.trace).filter((s) => s.kind === 'mcp');
