// How a simulated MCP server is offered: the factory that builds it, and where and how it is served
// over HTTP. Every server is reachable in-process through world.mcp.connect(name), over Streamable
// HTTP at its URL, and over the legacy HTTP+SSE transport at its SSE URL, so an agent's own
// transport code is what a test runs. simulate() validates the options once and fills in defaults.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** Builds a fresh MCP server for each connection or HTTP session (servers keep state; a run must be a pure function of its seed). */
export type McpServerFactory = () => McpServer;

/** A simulated MCP server with its HTTP settings. */
export interface McpServerOptions {
  /** Builds the server: a new McpServer for every in-process connection and every HTTP session. */
  readonly server: McpServerFactory;
  /** Where it is served over Streamable HTTP (default `https://<name>.mcp.test/mcp`). */
  readonly url?: string;
  /**
   * How a POST that carries requests is answered: `sse`, an event stream per POST (the SDK server's
   * default), or `json`, one JSON body (`enableJsonResponse`).
   */
  readonly response?: 'sse' | 'json';
  /**
   * Whether the server keeps an event store (default true): every SSE event carries an id, a POST
   * stream opens with a priming event, and a client that reconnects with `Last-Event-ID` is sent
   * what it missed. Without one, a dropped stream loses whatever it was carrying.
   */
  readonly resumable?: boolean;
  /**
   * Where the legacy HTTP+SSE transport (protocol 2024-11-05) is served: the GET that opens the
   * event stream, beside the Streamable HTTP URL by default (`…/mcp` → `…/sse`), its POST endpoint
   * being `messages` beside that (`…/messages`); false for none.
   */
  readonly sseUrl?: string | false;
}

/** A server as `simulate({ mcp })` takes it: a factory, or a factory with HTTP settings. */
export type McpServerSpec = McpServerFactory | McpServerOptions;

/** A server with every default filled in. */
export interface QualifiedMcpServer {
  readonly name: string;
  readonly factory: McpServerFactory;
  readonly url: URL;
  readonly response: 'sse' | 'json';
  readonly resumable: boolean;
  /** The legacy transport's GET URL and POST URL, or undefined when it is not served. */
  readonly legacy: { readonly sse: URL; readonly messages: URL } | undefined;
}

/** A host name label made from a server name: `CRM v2` → `crm-v2`. */
function hostLabel(name: string): string {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return label === '' ? 'server' : label;
}

/** The URL a server is served at when its options name none: `https://<name>.mcp.test/mcp` (`.test` is reserved, RFC 2606). */
export function defaultMcpUrl(name: string): string {
  return `https://${hostLabel(name)}.mcp.test/mcp`;
}

function httpUrl(value: unknown, field: string, problems: string[]): URL | undefined {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    problems.push(`${field}: expected an absolute http(s) URL such as "https://crm.example.test/mcp", got ${JSON.stringify(value)}`);
    return undefined;
  }
  if (url.search !== '' || url.hash !== '') problems.push(`${field}: expected a URL without a query or fragment, got "${String(value)}"`);
  return url;
}

function qualifyOne(name: string, spec: McpServerSpec, problems: string[]): QualifiedMcpServer | undefined {
  const field = `mcp["${name}"]`;
  const options: McpServerOptions | undefined = typeof spec === 'function' ? { server: spec } : typeof spec === 'object' && spec !== null ? spec : undefined;
  if (options === undefined || typeof options.server !== 'function') {
    problems.push(`${field}: expected a factory () => new McpServer(…), or { server: factory, url?, response?, resumable?, sseUrl? }`);
    return undefined;
  }
  const url = httpUrl(options.url ?? defaultMcpUrl(name), `${field}.url`, problems);
  if (options.response !== undefined && options.response !== 'sse' && options.response !== 'json') {
    problems.push(`${field}.response: expected "sse" or "json", got ${JSON.stringify(options.response)}`);
  }
  if (options.resumable !== undefined && typeof options.resumable !== 'boolean') {
    problems.push(`${field}.resumable: expected true or false, got ${JSON.stringify(options.resumable)}`);
  }
  let legacy: QualifiedMcpServer['legacy'];
  if (options.sseUrl !== false && url !== undefined) {
    const sse = httpUrl(options.sseUrl ?? new URL('sse', url).href, `${field}.sseUrl`, problems);
    if (sse !== undefined) legacy = { sse, messages: new URL('messages', sse) };
  }
  if (url === undefined) return undefined;
  return { name, factory: options.server, url, response: options.response ?? 'sse', resumable: options.resumable ?? true, legacy };
}

/** Validates `simulate({ mcp })`, adding a sentence to `problems` for each thing wrong, and fills in defaults. */
export function qualifyMcpServers(specs: Readonly<Record<string, McpServerSpec>> | undefined, problems: string[]): Record<string, QualifiedMcpServer> {
  const out: Record<string, QualifiedMcpServer> = {};
  const owners = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs ?? {})) {
    const server = qualifyOne(name, spec, problems);
    if (server === undefined) continue;
    out[name] = server;
    for (const url of [server.url, ...(server.legacy === undefined ? [] : [server.legacy.sse, server.legacy.messages])]) {
      const key = `${url.origin}${url.pathname}`;
      const owner = owners.get(key);
      if (owner !== undefined)
        problems.push(`mcp["${name}"]: ${key} is already where MCP server "${owner}" is served; give one of them its own url (or sseUrl)`);
      owners.set(key, name);
    }
  }
  return out;
}
