// HTTP-level faults as they look to a client: a refused or reset connection (fetch rejects with a
// TypeError whose cause carries the socket error code, as undici does), and the body hooks
// (harness/faults/hooks.ts) over any handler's response: a body held back after the head, cut off
// mid-way (reading it fails with `TypeError: terminated`), emptied, or kept open after its end.
import type { BodyHooks } from '../faults/hooks.ts';
import type { Actor } from '../sim/actors.ts';
import type { Kernel } from '../sim/kernel.ts';
import { virtualStream } from './virtualStream.ts';

const NETWORK = Symbol.for('faultline.networkError');

/** The error fetch rejects with when the connection is refused or reset. */
export function connectionError(mode: 'refused' | 'reset', host: string): TypeError {
  const code = mode === 'refused' ? 'ECONNREFUSED' : 'ECONNRESET';
  const cause = Object.assign(new Error(mode === 'refused' ? `connect ${code} ${host}` : `read ${code}`), {
    code,
    errno: mode === 'refused' ? -111 : -104,
    syscall: mode === 'refused' ? 'connect' : 'read',
  });
  const error = new TypeError('fetch failed', { cause });
  Object.defineProperty(error, NETWORK, { value: true });
  return error;
}

/** True for the network errors Faultline simulates (they travel through handlers untouched). */
export function isNetworkError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { [NETWORK]?: boolean })[NETWORK] === true;
}

function withoutLength(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete('content-length');
  return copy;
}

/** A JSON response built without msw's extras (they cost ~40 µs each on Node 20). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * The body hooks over a response from any handler. Plain HTTP has no content-chunk unit, so the
 * stream kinds are refused at `http:` targets when a plan is validated; what remains acts on bytes.
 */
export class HttpBody implements BodyHooks {
  readonly api = 'http';
  readonly contentChunks = 0;
  readonly argumentChunks = { first: undefined, count: 0 };
  readonly streamed: boolean;
  private headStall: { ms: number | undefined; applied: () => void } | undefined;
  private hold: { ms: number | undefined; applied: () => void } | undefined;
  private cut: { keepFraction: number; applied: () => void } | undefined;
  private emptied: (() => void) | undefined;

  constructor(private readonly response: Response) {
    this.streamed = (response.headers.get('content-type') ?? '').includes('text/event-stream');
  }

  stallAt(): void {}
  cutAt(): void {}
  failAt(): boolean {
    return false;
  }
  offSchema(): boolean {
    return false;
  }
  stallBody(ms: number | undefined, applied: () => void): void {
    this.headStall ??= { ms, applied };
  }
  holdOpen(ms: number | undefined, applied: () => void): void {
    this.hold ??= { ms, applied };
  }
  truncate(keepFraction: number, applied: () => void): void {
    this.cut ??= { keepFraction, applied };
  }
  empty(applied: () => void): void {
    this.emptied ??= applied;
  }

  /** The response with every planned change; a change that would alter nothing is not applied (and not marked). */
  async finish(kernel: Kernel, actor: Actor, signal: AbortSignal | undefined): Promise<Response> {
    const { response } = this;
    if (this.emptied === undefined && this.cut === undefined && this.headStall === undefined && this.hold === undefined) return response;
    const init = { status: response.status, statusText: response.statusText, headers: withoutLength(response.headers) };
    if (this.emptied !== undefined) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length === 0) return new Response(null, init);
      this.emptied();
      return new Response(null, init);
    }
    if (this.cut !== undefined) {
      const text = await response.text();
      const plan = { chunkDelayMs: 0, stalls: [], cutBytes: this.cut, ...(this.headStall === undefined ? {} : { headStall: this.headStall }) };
      return new Response(virtualStream(kernel, actor, [{ text }], plan, signal), init);
    }
    return new Response(paced(kernel, actor, response.body, this.headStall, this.hold, signal), init);
  }
}

/** `body`, held back after the head and/or kept open after its last byte, in virtual time. */
function paced(
  kernel: Kernel,
  actor: Actor,
  body: ReadableStream<Uint8Array> | null,
  headStall: { ms: number | undefined; applied: () => void } | undefined,
  hold: { ms: number | undefined; applied: () => void } | undefined,
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  const reader = body?.getReader();
  let started = false;
  let done = false;
  const wait = async (ms: number | undefined) => (ms === undefined ? new Promise<void>(() => undefined) : kernel.delay(actor, ms));
  return new ReadableStream<Uint8Array>({
    start(controller) {
      signal?.addEventListener(
        'abort',
        () => {
          if (done) return;
          done = true;
          controller.error(signal.reason);
        },
        { once: true },
      );
    },
    async pull(controller) {
      if (done) return;
      if (!started) {
        started = true;
        if (headStall !== undefined) {
          headStall.applied();
          await wait(headStall.ms);
          if (done) return;
        }
      }
      const next = reader === undefined ? { done: true as const, value: undefined } : await reader.read();
      if (done) return;
      if (!next.done) {
        controller.enqueue(next.value);
        return;
      }
      if (hold !== undefined) {
        hold.applied();
        await wait(hold.ms);
        if (done) return;
      }
      done = true;
      controller.close();
    },
    cancel(reason) {
      done = true;
      return reader?.cancel(reason);
    },
  });
}
