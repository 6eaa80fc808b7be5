// The wire between a simulated MCP server's HTTP response and the client: the SDK server transport
// pushes SSE events into its response body as the server produces them, and the relay carries each
// event to the client after a transit time in virtual time, in order, as the kernel's events. It
// sees every JSON-RPC message it delivers (so the session can end request spans and record
// notifications at the moment the client gets them), and it is where the connection can fail: a
// stream that drops after some of its events (sse-drop), a connection that is reset under a whole
// session (a restart, a disconnect), or the client's own abort.
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Actor } from '../../sim/actors.ts';
import type { Kernel } from '../../sim/kernel.ts';
import { type LatencyModel, sampleLatency } from '../../sim/latency.ts';
import type { RandomStream } from '../../sim/rng.ts';
import { connectionError } from '../httpFaults.ts';
import { terminated } from '../virtualStream.ts';

export interface RelayConfig {
  readonly kernel: Kernel;
  readonly actor: Actor;
  readonly host: string;
  /** One-way transit time of each SSE event on the open connection. */
  readonly transit: LatencyModel;
  readonly transitStream: RandomStream;
  /** The request's abort signal: aborting it fails the body with its reason, as undici does. */
  readonly signal: AbortSignal | undefined;
  /** Each JSON-RPC message the client receives, at the moment it receives it. */
  readonly onMessage: (message: JSONRPCMessage) => void;
  /** The relay is done: its body ended, failed or was cancelled. */
  readonly onEnd: (relay: BodyRelay) => void;
}

/** A planned drop of an SSE stream (sse-drop): before message `afterEvents + 1`. */
export interface DropPlan {
  readonly afterEvents: number;
  readonly mode: 'error' | 'close';
  /** Called when the drop happens, with the last event id the client holds (if any). */
  readonly applied: (lastEventId: string | undefined) => void;
}

const encoder = new TextEncoder();

export class BodyRelay {
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  private inner: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private ended = false;
  private lastArrival = 0;
  private messages = 0;
  private lastEventId: string | undefined;
  private drop: DropPlan | undefined;
  /** For a response whose head has not been handed out yet: what makes it fail instead. */
  private failHead: ((error: unknown) => void) | undefined;
  /** Rejects when the connection is reset before the response head was handed out. */
  readonly headFailed: Promise<never>;

  constructor(private readonly config: RelayConfig) {
    this.headFailed = new Promise<never>((_, reject) => {
      this.failHead = reject;
    });
    this.headFailed.catch(() => undefined);
  }

  /** Plans a drop of the event stream this relay will carry. */
  dropAfter(plan: DropPlan): void {
    this.drop ??= plan;
  }

  /** True for a relay whose body is an event stream (known once `wrap` has seen the head). */
  streamed = false;

  /** The response as the client receives it: the same head, its body carried by the relay. */
  wrap(response: Response): Response {
    this.failHead = undefined;
    const body = response.body;
    if (body === null || this.ended) {
      this.finish();
      return response;
    }
    const type = response.headers.get('content-type') ?? '';
    this.streamed = type.includes('text/event-stream');
    this.inner = body.getReader();
    let pumping = false;
    // The body moves once the client reads it (after the head has reached it), not before.
    const outer = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => {
          if (pumping) return;
          pumping = true;
          void (this.streamed ? this.pumpEvents() : this.pumpWhole(type.includes('json')));
        },
        cancel: () => this.finish(),
      },
      { highWaterMark: 0 },
    );
    const { signal } = this.config;
    if (signal?.aborted) this.fail(signal.reason);
    signal?.addEventListener('abort', () => this.fail(signal.reason), { once: true });
    return new Response(outer, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  /**
   * The connection drops: the body fails as a dropped connection does (or the fetch, before the
   * head); with `close`, the stream ends cleanly instead, as a proxy closing it does.
   */
  terminate(mode: 'error' | 'close' = 'error'): void {
    if (this.failHead !== undefined) {
      this.failHead(connectionError('reset', this.config.host));
      this.failHead = undefined;
      this.finish();
      return;
    }
    if (mode === 'close') this.close();
    else this.fail(terminated());
  }

  /** A whole (JSON) body: delivered with the head, its messages seen as the client reads it. */
  private async pumpWhole(json: boolean): Promise<void> {
    const chunks: Uint8Array[] = [];
    for (;;) {
      const next = await this.read();
      if (next === undefined) return;
      if (next.done) break;
      chunks.push(next.value);
    }
    const bytes = Buffer.concat(chunks);
    if (json) {
      try {
        const parsed: unknown = JSON.parse(bytes.toString('utf8'));
        for (const m of Array.isArray(parsed) ? parsed : [parsed]) this.seen(m);
      } catch {
        // Not JSON-RPC: the client will say so itself.
      }
    }
    if (this.ended) return;
    if (bytes.length > 0) this.controller?.enqueue(new Uint8Array(bytes));
    this.close();
  }

  /** An event stream: each event travels on its own, in order, after a transit time. */
  private async pumpEvents(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const next = await this.read();
      if (next === undefined) return;
      if (next.done) break;
      buffer += decoder.decode(next.value, { stream: true });
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, cut + 2);
        buffer = buffer.slice(cut + 2);
        this.send(block);
      }
    }
    this.send(undefined);
  }

  private async read(): Promise<ReadableStreamReadResult<Uint8Array> | undefined> {
    try {
      return this.ended ? undefined : await this.inner?.read();
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  /** Schedules one event (or, for `undefined`, the end of the stream) to reach the client. */
  private send(block: string | undefined): void {
    const { kernel, actor, transit, transitStream } = this.config;
    if (kernel.ended || this.ended) return;
    const now = kernel.now();
    const arrival = Math.max(now + (block === undefined ? 0 : sampleLatency(transit, transitStream)), this.lastArrival);
    this.lastArrival = arrival;
    kernel.schedule(arrival - now, actor, () => (block === undefined ? this.close() : this.deliver(block)));
  }

  private deliver(block: string): void {
    if (this.ended) return;
    const event = parseEvent(block);
    if (event.data !== '') {
      const drop = this.drop;
      if (drop !== undefined && this.messages === drop.afterEvents) {
        drop.applied(this.lastEventId);
        if (drop.mode === 'error') this.fail(terminated());
        else this.close();
        return;
      }
      this.messages++;
    }
    if (event.id !== undefined) this.lastEventId = event.id;
    this.controller?.enqueue(encoder.encode(block));
    if (event.data !== '' && (event.event === undefined || event.event === 'message')) {
      try {
        this.seen(JSON.parse(event.data));
      } catch {
        // Not JSON: the client reports it.
      }
    }
  }

  private seen(value: unknown): void {
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (parsed.success) this.config.onMessage(parsed.data);
  }

  private close(): void {
    if (this.ended) return;
    try {
      this.controller?.close();
    } catch {
      // Already closed by the client.
    }
    this.finish();
  }

  private fail(error: unknown): void {
    if (this.ended) return;
    try {
      this.controller?.error(error);
    } catch {
      // Already closed.
    }
    this.finish();
  }

  /** Ends the relay: the server's side of the stream is cancelled, as a closed socket cancels it. */
  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.inner?.cancel().catch(() => undefined);
    this.config.onEnd(this);
  }
}

interface SseEvent {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

/** The fields of one SSE event block (WHATWG HTML, server-sent events: id, event, data lines). */
function parseEvent(block: string): SseEvent {
  let id: string | undefined;
  let event: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0 || line === '') continue;
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return { id, event, data: data.join('\n') };
}
