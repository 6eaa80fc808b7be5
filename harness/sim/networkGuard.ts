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

/** What the guard reads of the run holding the globals. */
export interface NetworkView {
  readonly onBlocked: OnBlocked;
  /** Leave node:http(s) unguarded (global mode lets msw intercept them there); sockets stay guarded. */
  readonly interceptHttp: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: guarded functions take anything.
type AnyFunction = (this: unknown, ...args: any[]) => any;

/**
 * Installs the guard for a globals session and returns the function that removes it. Each guarded
 * entry point asks `current` for the run holding the globals: with none, it is the original.
 */
export function installNetworkGuard(current: () => NetworkView | undefined): () => void {
  const undo: Array<() => void> = [];
  /** Replaces target[key] by `guarded` during runs; `guarded` gets the run and the original's arguments. */
  const patch = (target: object, key: string, guarded: (this: unknown, run: NetworkView, args: unknown[]) => unknown): void => {
    const original = (target as Record<string, AnyFunction>)[key] as AnyFunction;
    undo.push(
      patchProperty(target, key, function (this: unknown, ...args: unknown[]) {
        const run = current();
        return run === undefined ? original.apply(this, args) : guarded.call(this, run, args);
      }),
    );
  };

  patch(globalThis, 'fetch', (run, [input, init]) =>
    Promise.reject(run.onBlocked(describeFetch(input as RequestInfo | URL, init as RequestInit | undefined), 'the global fetch')),
  );
  for (const [name, mod] of [
    ['node:http', http],
    ['node:https', https],
  ] as const) {
    for (const key of ['request', 'get'] as const) {
      const original = mod[key] as AnyFunction;
      patch(mod, key, function (this: unknown, run, args) {
        if (run.interceptHttp) return original.apply(this, args);
        throw run.onBlocked(describeHttp(name, args), `${name}`);
      });
    }
  }
  // A server listening on a real port (net, http, https) or a UDP socket would take real traffic and
  // keep the process alive after the run: refused, synchronously, in the agent's own stack.
  patch(net.Server.prototype, 'listen', (run, args) => {
    throw run.onBlocked(`listening on ${describeListen(args)}`, 'net.Server#listen (node:net, node:http)');
  });
  patch(dgram.Socket.prototype, 'bind', (run) => {
    throw run.onBlocked('binding a UDP socket', 'dgram.Socket#bind');
  });
  patch(dgram.Socket.prototype, 'send', (run) => {
    throw run.onBlocked('sending a UDP datagram', 'dgram.Socket#send');
  });
  // An HTTP/2 session connects its socket where no 'error' listener is attached yet, so a blocked
  // socket would crash the process: the session is refused at connect instead (global mode serves
  // node:http2 from the world, harness/world/http2Client.ts).
  patch(http2, 'connect', (run, [authority]) => {
    const text = String(authority);
    throw run.onBlocked(`connection to ${URL.canParse(text) ? new URL(text).origin : text}`, 'node:http2');
  });
  patch(net.Socket.prototype, 'connect', function (this: unknown, run, args) {
    // Fail the way a refused connection fails: asynchronously, through the socket's 'error' event,
    // so that clients built on sockets report it through their usual error path.
    const socket = this as net.Socket;
    socket.destroy(run.onBlocked(describeSocket(args), 'a socket (node:net)'));
    return socket;
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
