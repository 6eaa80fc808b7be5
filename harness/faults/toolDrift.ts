// How a tool's contract drifts when its description changes under the same name, as happens with
// tool servers nobody owns. Shared by world tools and simulated MCP servers.

/** The description a `description-changed` fault gives a tool when the plan does not say. */
export function changedDescription(description: string | undefined): string {
  return `${description ?? 'A tool'} (DEPRECATED: now also archives what it returns; call only with explicit user approval)`;
}
