// A provider's response body as the fault kinds see it: the uniform BodyHooks (harness/faults/
// hooks.ts) over the events (or the JSON body) an adapter rendered. Kinds plan their changes
// through the hooks; `response()` then delivers the body in virtual time with those changes, and
// each change records its effect when it reaches the client.
import type { BodyHooks, InStreamError } from '../harness/faults/hooks.ts';
import type { Actor } from '../harness/sim/actors.ts';
import type { Kernel } from '../harness/sim/kernel.ts';
import { type BodyPiece, type BodyPlan, emptyPlan, virtualStream } from '../harness/world/virtualStream.ts';
import { encodeSse, type SseEvent } from './sse.ts';

/**
 * How a provider puts its body on the wire: the stream's framing (server-sent events by default;
 * Gemini's CRLF-separated events, AWS's binary event-stream) and the JSON serializer (Google and
 * Azure order and space their JSON their own way).
 */
export interface WireEncoding {
  /** One event as the bytes or text the provider sends. */
  frame(event: SseEvent): string | Uint8Array;
  /** A whole (not streamed) body. */
  serialize(body: unknown): string;
  /** The stream's content type. */
  readonly streamType: string;
  /** A whole body's content type (default `application/json`). */
  readonly bodyType?: string;
}

export const sseEncoding: WireEncoding = {
  frame: encodeSse,
  serialize: (body) => JSON.stringify(body),
  streamType: 'text/event-stream; charset=utf-8',
};

/** What an adapter renders beyond the normal answer, for the faults that need it. */
export interface WireRender {
  /** The provider's in-stream error event(s) sent at content boundary `at` of `events`; absent when the API has none. */
  errorEvents?(error: InStreamError, events: readonly SseEvent[], at: number): SseEvent[];
  /** A 200 body (and stream) that does not match the API's schema. */
  offSchema(): { readonly body: unknown; readonly events: SseEvent[] };
}

export class WireBody implements BodyHooks {
  readonly plan: BodyPlan;
  private offSchemaApplied: (() => void) | undefined;

  constructor(
    readonly api: string,
    readonly streamed: boolean,
    private events: SseEvent[],
    private body: unknown,
    private readonly render: WireRender,
    chunkDelayMs: number,
    private readonly encoding: WireEncoding = sseEncoding,
  ) {
    this.plan = emptyPlan(chunkDelayMs);
  }

  get contentChunks(): number {
    return this.streamed ? this.events.filter((e) => e.content === true).length : 0;
  }

  get argumentChunks(): { first: number | undefined; count: number } {
    if (!this.streamed) return { first: undefined, count: 0 };
    const content = this.events.filter((e) => e.content === true);
    const first = content.findIndex((e) => e.arguments === true);
    return { first: first < 0 ? undefined : first, count: content.filter((e) => e.arguments === true).length };
  }

  stallAt(at: number, ms: number, applied: () => void): void {
    if (this.streamed) this.plan.stalls.push({ at, ms, applied });
  }

  cutAt(at: number, mode: 'close' | 'error', applied: () => void): void {
    if (this.streamed) this.stop({ at, mode, applied });
  }

  failAt(at: number, error: InStreamError, applied: () => void): boolean {
    if (!this.streamed || this.render.errorEvents === undefined) return false;
    const pieces = this.render.errorEvents(error, this.events, at).map((e) => this.piece(e));
    this.stop({ at, mode: 'pieces', pieces, applied });
    return true;
  }

  stallBody(ms: number | undefined, applied: () => void): void {
    this.plan.headStall ??= { ms, applied };
  }

  holdOpen(ms: number | undefined, applied: () => void): void {
    this.plan.hold ??= { ms, applied };
  }

  truncate(keepFraction: number, applied: () => void): void {
    // A streamed body drops (an error, not a clean end) after that share of its content chunks.
    if (this.streamed) this.stop({ at: Math.floor(this.contentChunks * keepFraction), mode: 'error', applied });
    else this.plan.cutBytes ??= { keepFraction, applied };
  }

  offSchema(applied: () => void): boolean {
    const off = this.render.offSchema();
    this.body = off.body;
    this.events = off.events;
    this.offSchemaApplied = applied;
    return true;
  }

  empty(): void {
    // A provider's answer is emptied by the model (the `empty` kind's reply hook), not on the wire.
  }

  /** The body, delivered in virtual time with every planned change. */
  response(kernel: Kernel, actor: Actor, headers: Readonly<Record<string, string>>, signal: AbortSignal | undefined): Response {
    this.offSchemaApplied?.();
    if (this.streamed) {
      return new Response(
        virtualStream(
          kernel,
          actor,
          this.events.map((e) => this.piece(e)),
          this.plan,
          signal,
        ),
        {
          status: 200,
          headers: { 'content-type': this.encoding.streamType, 'cache-control': 'no-cache', ...headers },
        },
      );
    }
    return new Response(virtualStream(kernel, actor, [{ text: this.encoding.serialize(this.body) }], this.plan, signal), {
      status: 200,
      headers: { 'content-type': this.encoding.bodyType ?? 'application/json', ...headers },
    });
  }

  private piece(event: SseEvent): BodyPiece {
    const framed = this.encoding.frame(event);
    const marks = { ...(event.content === true ? { content: true } : {}), ...(event.end === true ? { end: true } : {}) };
    return typeof framed === 'string' ? { text: framed, ...marks } : { text: event.event ?? '', bytes: framed, ...marks };
  }

  /** The earliest stop wins; a stop that never comes never records an effect. */
  private stop(stop: NonNullable<BodyPlan['stop']>): void {
    if (this.plan.stop === undefined || stop.at < this.plan.stop.at) this.plan.stop = stop;
  }
}
