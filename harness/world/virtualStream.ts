// A response body streamed in virtual time: chunks arrive one after another with a delay between
// them, and a plan can stall the stream (a long pause) or cut it (an early end, or an error as when
// the connection drops). Streaming adapters (SSE) build their bodies with it.
import type { Actor } from '../sim/actors.ts';
import type { Kernel } from '../sim/kernel.ts';

export interface StreamPlan {
  /** Virtual milliseconds between consecutive content chunks (framing chunks take no time). */
  readonly chunkDelayMs: number;
  /** Pause for `stallMs` before content chunk number `afterChunks` (from 0). */
  readonly stall?: { readonly afterChunks: number; readonly stallMs: number };
  /** End the stream before content chunk number `afterChunks`: quietly (`close`) or with a network error (`error`). */
  readonly cut?: { readonly afterChunks: number; readonly mode: 'close' | 'error' };
}

/**
 * One piece of a streamed body. Content chunks carry generated tokens and are paced by the model's
 * speed; framing chunks (a stream's opening and closing events) travel with their neighbours. Only
 * content chunks count for stalls and cuts, so a plan means the same thing on every wire format.
 */
export interface StreamChunk {
  readonly text: string;
  readonly content: boolean;
}

const encoder = new TextEncoder();

/**
 * The body of a streamed response. `signal` is the request's abort signal: aborting it fails the
 * body with the signal's reason, as undici does, even while a chunk is still on its way.
 */
export function virtualStream(
  kernel: Kernel,
  actor: Actor,
  chunks: readonly StreamChunk[],
  plan: StreamPlan,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  let next = 0;
  let content = 0;
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      signal?.addEventListener(
        'abort',
        () => {
          if (cancelled) return;
          cancelled = true;
          kernel.trace.record({ type: 'mark', name: 'stream.aborted', actor: actor.name, data: { afterChunks: content } });
          controller.error(signal.reason);
        },
        { once: true },
      );
    },
    cancel() {
      cancelled = true;
    },
    async pull(controller) {
      if (cancelled) return;
      const chunk = chunks[next];
      if (chunk === undefined) {
        controller.close();
        return;
      }
      let wait = 0;
      if (chunk.content) {
        if (plan.cut !== undefined && content === plan.cut.afterChunks) {
          kernel.trace.record({ type: 'mark', name: 'stream.cut', actor: actor.name, data: { afterChunks: content, mode: plan.cut.mode } });
          if (plan.cut.mode === 'close') controller.close();
          else controller.error(new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }));
          return;
        }
        wait = content === 0 ? 0 : plan.chunkDelayMs;
        if (plan.stall !== undefined && content === plan.stall.afterChunks) {
          kernel.trace.record({ type: 'mark', name: 'stream.stall', actor: actor.name, data: { afterChunks: content, stallMs: plan.stall.stallMs } });
          wait += plan.stall.stallMs;
        }
        content++;
      }
      next++;
      if (wait > 0) await kernel.delay(actor, wait);
      if (cancelled) return;
      controller.enqueue(encoder.encode(chunk.text));
    },
  });
}
