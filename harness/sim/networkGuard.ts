// During a run, agent code must not reach the real network: a run is a pure function of its inputs.
// The guard covers the global fetch, node:http(s), node:http2 and, underneath everything else
// (undici, ws, database drivers), net.Socket#connect; and servers listening on real ports, and UDP.
// Each blocked attempt becomes a clear error.
import dgram from 'node:dgram';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import { patchProperty } from './patch.ts';
import { redactUrl } from './redact.ts';

/** Turns a description of a blocked call ("GET https://x/y") into the error to raise. */
export type OnBlocked = (what: string, via: string) => Error;

/**
 * Installs the guard and returns the function that removes it. With `httpModules: false` the
 * node:http(s) entry points are left alone (global mode lets msw intercept them there); sockets are
 * guarded either way.
 */
export function installNetworkGuard(onBlocked: OnBlocked, { httpModules = true }: { httpModules?: boolean } = {}): () => void {
  const undo: Array<() => void> = [];
  const patch = (target: object, key: string, value: unknown): void => {
    undo.push(patchProperty(target, key, value));
  };

  patch(globalThis, 'fetch', (input: RequestInfo | URL, init?: RequestInit) => Promise.reject(onBlocked(describeFetch(input, init), 'the global fetch')));
  for (const [name, mod] of httpModules
    ? ([
        ['node:http', http],
        ['node:https', https],
      ] as const)
    : []) {
    const blocked = (...args: unknown[]): never => {
      throw onBlocked(describeHttp(name, args), `${name}`);
    };
    patch(mod, 'request', blocked);
    patch(mod, 'get', blocked);
  }
  // A server listening on a real port (net, http, https) or a UDP socket would take real traffic and
  // keep the process alive after the run: refused, synchronously, in the agent's own stack.
  patch(net.Server.prototype, 'listen', function (this: net.Server, ...args: unknown[]) {
    throw onBlocked(`listening on ${describeListen(args)}`, 'net.Server#listen (node:net, node:http)');
  });
  patch(dgram.Socket.prototype, 'bind', () => {
    throw onBlocked('binding a UDP socket', 'dgram.Socket#bind');
  });
  patch(dgram.Socket.prototype, 'send', () => {
    throw onBlocked('sending a UDP datagram', 'dgram.Socket#send');
  });
  // An HTTP/2 session connects its socket where no 'error' listener is attached yet, so a blocked
  // socket would crash the process: the session is refused at connect instead (global mode serves
  // node:http2 from the world, harness/world/http2Client.ts).
  patch(http2, 'connect', (authority: string | URL) => {
    const text = String(authority);
    throw onBlocked(`connection to ${URL.canParse(text) ? new URL(text).origin : text}`, 'node:http2');
  });
  patch(net.Socket.prototype, 'connect', function (this: net.Socket, ...args: unknown[]) {
    // Fail the way a refused connection fails: asynchronously, through the socket's 'error' event,
    // so that clients built on sockets report it through their usual error path.
    this.destroy(onBlocked(describeSocket(args), 'a socket (node:net)'));
    return this;
  });

  return () => {
    for (const restore of undo.reverse()) restore();
  };
}

function describeFetch(input: RequestInfo | URL, init: RequestInit | undefined): string {
  const isRequest = typeof input === 'object' && input !== null && 'url' in input && 'method' in input;
  const method = init?.method ?? (isRequest ? (input as Request).method : 'GET');
  const url = isRequest ? (input as Request).url : String(input);
  return `${method.toUpperCase()} ${redactUrl(url)}`;
}

function describeHttp(module: string, args: unknown[]): string {
  const [first, second] = args;
  const options = (typeof first === 'object' && first !== null && !(first instanceof URL) ? first : second) as
    | { method?: string; protocol?: string; hostname?: string; host?: string; port?: number | string; path?: string }
    | undefined;
  const method = (options?.method ?? 'GET').toUpperCase();
  if (typeof first === 'string' || first instanceof URL) return `${method} ${redactUrl(first)}`;
  const protocol = options?.protocol ?? (module === 'node:https' ? 'https:' : 'http:');
  const host = options?.hostname ?? options?.host ?? 'localhost';
  const port = options?.port === undefined ? '' : `:${options.port}`;
  return `${method} ${redactUrl(`${protocol}//${host}${port}${options?.path ?? '/'}`)}`;
}

function describeListen(args: unknown[]): string {
  const [first] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return `port ${first}`;
  if (typeof first === 'string') return `socket ${first}`;
  if (typeof first === 'object' && first !== null) {
    const o = first as { port?: unknown; path?: unknown };
    if (o.path !== undefined) return `socket ${String(o.path)}`;
    if (o.port !== undefined) return `port ${String(o.port)}`;
  }
  return 'a random port';
}

function describeSocket(args: unknown[]): string {
  const [first, second] = args;
  if (Array.isArray(first)) return describeSocket(first);
  if (typeof first === 'object' && first !== null) {
    const o = first as { host?: string; port?: number | string; path?: string };
    if (o.path !== undefined) return `connection to socket ${o.path}`;
    return `connection to ${o.host ?? 'localhost'}:${String(o.port)}`;
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return `connection to socket ${first}`;
  return `connection to ${typeof second === 'string' ? second : 'localhost'}:${String(first)}`;
}
