// node:http2 clients in global mode. msw intercepts node:http(s) but not HTTP/2, and some official
// clients speak only HTTP/2: @aws-sdk/client-bedrock-runtime's default request handler is
// @smithy/node-http-handler's NodeHttp2Handler. In global mode `http2.connect` returns a session
// whose streams are served by the main actor's world.fetch, like every other request of the run:
// the request's pseudo-headers (`:method`, `:path`) and headers become a fetch Request to the
// session's authority, and the Response comes back as a `response` event (`:status` and headers)
// and the stream's body, in virtual time. What the clients use of the API is implemented: a
// session's `request`, `settings`, `setTimeout`, `close`, `destroy` and events; a stream's
// Duplex body, `setTimeout`, `close`, `rstCode` and events (nodejs.org/api/http2.html).
import { EventEmitter } from 'node:events';
import http2 from 'node:http2';
import { Duplex } from 'node:stream';
import { patchProperty } from '../sim/patch.ts';
import type { WorldFetch } from './fetch.ts';

/** Serves `http2.connect` from `fetch`; returns the function that puts the original back. */
export function installHttp2Client(fetch: WorldFetch): () => void {
  return patchProperty(http2, 'connect', ((authority: string | URL, ...rest: unknown[]) => {
    const listener = rest.find((r): r is () => void => typeof r === 'function');
    const session = new SimulatedSession(new URL(String(authority)).origin, fetch);
    if (listener !== undefined) session.once('connect', listener);
    queueMicrotask(() => session.emit('connect', session));
    return session;
  }) as unknown as typeof http2.connect);
}

type Headers2 = Record<string, string | string[] | number | undefined>;

class SimulatedSession extends EventEmitter {
  destroyed = false;
  closed = false;
  readonly encrypted: boolean;

  constructor(
    private readonly origin: string,
    private readonly fetch: WorldFetch,
  ) {
    super();
    this.encrypted = origin.startsWith('https:');
  }

  request(headers: Headers2): SimulatedStream {
    return new SimulatedStream(this.origin, headers, this.fetch);
  }

  settings(_settings: unknown, callback?: (error: Error | null) => void): void {
    if (callback !== undefined) queueMicrotask(() => callback(null));
  }

  setTimeout(): this {
    // Idle sessions never time out in the simulation: the stream's own timeout covers a request.
    return this;
  }

  ref(): void {}
  unref(): void {}

  close(callback?: () => void): void {
    if (this.closed) return;
    this.closed = true;
    queueMicrotask(() => {
      callback?.();
      this.emit('close');
    });
  }

  destroy(error?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.closed = true;
    queueMicrotask(() => {
      if (error !== undefined) this.emit('error', error);
      this.emit('close');
    });
  }
}

class SimulatedStream extends Duplex {
  rstCode: number | undefined;
  private readonly body: Buffer[] = [];
  private readonly abort = new AbortController();
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private timeout: { ms: number; handle: ReturnType<typeof setTimeout> | undefined; onTimeout: (() => void) | undefined } | undefined;

  constructor(
    private readonly origin: string,
    private readonly headers: Headers2,
    private readonly fetch: WorldFetch,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.body.push(Buffer.from(chunk));
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    callback();
    void this.send();
  }

  override _read(): void {
    void this.pump();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.clearTimer();
    if (!this.complete) {
      // Closed before its response ended (a timeout, an abort): the request is cancelled, as a reset stream would be.
      this.abort.abort(error ?? new Error('The HTTP/2 stream was closed'));
      void this.reader?.cancel().catch(() => undefined);
    }
    callback(error);
  }

  /** Fires `onTimeout` (or a `timeout` event) after `ms` virtual milliseconds without activity; 0 turns it off. */
  setTimeout(ms: number, onTimeout?: () => void): this {
    this.clearTimer();
    this.timeout = ms > 0 ? { ms, handle: undefined, onTimeout: onTimeout ?? this.timeout?.onTimeout } : undefined;
    this.armTimer();
    return this;
  }

  close(code = http2.constants.NGHTTP2_NO_ERROR, callback?: () => void): void {
    this.rstCode = code;
    if (callback !== undefined) this.once('close', callback);
    this.destroy();
  }

  private async send(): Promise<void> {
    const method = String(this.headers[':method'] ?? 'GET');
    const path = String(this.headers[':path'] ?? '/');
    const headers = new Headers();
    for (const [name, value] of Object.entries(this.headers)) {
      if (name.startsWith(':') || value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, String(v));
    }
    const body = this.body.length === 0 || method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(this.body);
    try {
      this.armTimer();
      const response = await this.fetch(`${this.origin}${path}`, { method, headers, body, signal: this.abort.signal });
      const head: Headers2 = { ':status': response.status };
      response.headers.forEach((value, name) => {
        head[name] = value;
      });
      this.reader = response.body?.getReader();
      this.emit('response', head, 0);
      this.armTimer();
      if (this.reader === undefined) {
        this.complete = true;
        this.push(null);
      } else void this.pump();
    } catch (error) {
      if (!this.destroyed) this.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private pumping = false;
  /** True once the whole response body has been read. */
  private complete = false;

  private async pump(): Promise<void> {
    if (this.reader === undefined || this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const { done, value } = await this.reader.read();
        if (done) {
          this.complete = true;
          this.clearTimer();
          this.push(null);
          return;
        }
        this.armTimer();
        if (!this.push(Buffer.from(value))) return;
      }
    } catch (error) {
      if (!this.destroyed) this.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.pumping = false;
    }
  }

  private armTimer(): void {
    const timeout = this.timeout;
    if (timeout === undefined) return;
    this.clearTimer();
    timeout.handle = setTimeout(() => {
      if (timeout.onTimeout !== undefined) timeout.onTimeout();
      else this.emit('timeout');
    }, timeout.ms);
  }

  private clearTimer(): void {
    if (this.timeout?.handle !== undefined) clearTimeout(this.timeout.handle);
    if (this.timeout !== undefined) this.timeout.handle = undefined;
  }
}
