// Faults that change a real MCP server: a tool removed, renamed, or its input schema drifted, and a
// bare tools/list_changed notification. They go through the SDK's own RegisteredTool API (remove,
// update, disable), so the server itself sends `notifications/tools/list_changed` and answers
// tools/list and tools/call the way a redeployed server would.
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { FaultRule } from '../../faults/plan.ts';
import { changedDescription } from '../../faults/toolDrift.ts';
import type { TraceData } from '../../sim/trace.ts';

export type ServerFaultRule = Extract<FaultRule, { kind: 'tool-removed' | 'tool-renamed' | 'schema-drift' | 'description-changed' | 'list-changed' }>;

/** One built server and the tools it registered, by the names they were registered under. */
export interface Deployment {
  readonly server: McpServer;
  readonly tools: ReadonlyMap<string, RegisteredTool>;
  /** Tools renamed so far (registered name → current name). */
  readonly renamed: Map<string, string>;
}

/**
 * The tools a server registered, in registration order. McpServer keeps them in a private field;
 * it is read here, in one place, because the handles it holds (RegisteredTool) are the SDK's public
 * way to change a tool after registration, and McpServer offers no public way to enumerate them.
 */
export function deploymentOf(server: McpServer): Deployment {
  const registry = (server as unknown as { _registeredTools?: unknown })._registeredTools;
  const tools = typeof registry === 'object' && registry !== null ? Object.entries(registry as Record<string, RegisteredTool>) : [];
  return { server, tools: new Map(tools), renamed: new Map() };
}

/**
 * The tool a rule changes: its `params.tool`, or the first tool the server registered. A
 * schema-drift rule without `tool` changes the first tool whose input has `params.field`, or the
 * first tool when no field is named.
 */
function toolOf(rule: ServerFaultRule, deployment: Deployment): string | undefined {
  if (rule.kind === 'list-changed') return undefined;
  const names = [...deployment.tools.keys()];
  if (rule.kind !== 'schema-drift' || rule.params.tool !== undefined) return rule.params.tool ?? names[0];
  const field = rule.params.field;
  if (field === undefined) return names[0];
  return names.find((name) => field in (shapeOf(deployment.tools.get(name)?.inputSchema) ?? {})) ?? names[0];
}

/** Problems that make a rule impossible on this server, as sentences; empty when it applies. */
export function serverFaultProblems(rule: ServerFaultRule, deployment: Deployment, server: string): string[] {
  if (rule.kind === 'list-changed') return [];
  const name = toolOf(rule, deployment);
  const offered = [...deployment.tools.keys()].map((t) => `"${t}"`).join(', ') || 'none';
  if (name === undefined) return [`${rule.kind} on mcp:${server}: the server registers no tools (is the factory an McpServer that calls registerTool?)`];
  const tool = deployment.tools.get(name);
  if (tool === undefined) return [`${rule.kind} on mcp:${server}: the server has no tool "${name}"; its tools are ${offered}`];
  if (rule.kind === 'tool-renamed' && deployment.tools.has(rule.params.to)) {
    return [`tool-renamed on mcp:${server}: "${rule.params.to}" is already another tool's name`];
  }
  if (rule.kind === 'schema-drift') {
    const shape = shapeOf(tool.inputSchema);
    if (shape === undefined) return [`schema-drift on mcp:${server}: tool "${name}" has no zod 4 object input schema to drift`];
    const field = rule.params.field ?? Object.keys(shape)[0];
    if (field === undefined || !(field in shape)) {
      return [`schema-drift on mcp:${server}: tool "${name}" has no input field "${field ?? ''}"; its fields are ${Object.keys(shape).join(', ') || 'none'}`];
    }
  }
  return [];
}

/**
 * Applies a rule to a built server and returns what changed, for the trace. A connected server
 * announces the change itself; one not yet connected simply starts out changed.
 */
export function applyServerFault(rule: ServerFaultRule, deployment: Deployment): TraceData {
  if (rule.kind === 'list-changed') {
    deployment.server.sendToolListChanged();
    return {};
  }
  const name = toolOf(rule, deployment) as string;
  const tool = deployment.tools.get(name) as RegisteredTool;
  switch (rule.kind) {
    case 'tool-removed':
      // RegisteredTool.remove() deletes the tool under the name it was registered with, so after
      // a rename it would silently do nothing; disabling hides the tool under any name.
      if (deployment.renamed.has(name)) tool.disable();
      else tool.remove();
      return { tool: deployment.renamed.get(name) ?? name };
    case 'tool-renamed':
      tool.update({ name: rule.params.to });
      deployment.renamed.set(name, rule.params.to);
      return { tool: name, to: rule.params.to };
    case 'schema-drift':
      return { tool: deployment.renamed.get(name) ?? name, ...drift(tool, rule.params) };
    case 'description-changed': {
      const to = rule.params.to ?? changedDescription(tool.description);
      tool.update({ description: to });
      return { tool: deployment.renamed.get(name) ?? name, description: to };
    }
  }
}

/**
 * Renames one field of a tool's input schema. The tool's handler still receives its original
 * field, so a client that follows the new schema keeps working and one with a stale schema gets
 * the server's own input validation error.
 */
function drift(tool: RegisteredTool, params: { field?: string | undefined; to?: string | undefined }): TraceData {
  const shape = shapeOf(tool.inputSchema) as Record<string, z.core.$ZodType>;
  const field = params.field ?? (Object.keys(shape)[0] as string);
  const to = params.to ?? `${field}_v2`;
  const next: Record<string, z.core.$ZodType> = {};
  for (const [key, schema] of Object.entries(shape)) next[key === field ? to : key] = schema;
  const handler = tool.handler as (args: Record<string, unknown>, extra: unknown) => unknown;
  const callback = (args: Record<string, unknown>, extra: unknown): unknown => {
    const { [to]: value, ...rest } = args;
    return handler({ ...rest, [field]: value }, extra);
  };
  tool.update({ paramsSchema: next, callback: callback as never });
  return { field, to };
}

/** The fields of a zod 4 object schema (classic or mini), or undefined for anything else. */
function shapeOf(schema: unknown): Readonly<Record<string, z.core.$ZodType>> | undefined {
  return schema instanceof z.core.$ZodObject ? schema._zod.def.shape : undefined;
}
