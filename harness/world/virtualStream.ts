// A response body delivered in virtual time: its pieces arrive one after another, content chunks
// paced by the model's speed, and a body plan can hold the body back after the head, pause it at a
// content boundary, end it there (quietly, with a dropped connection, or with other events), cut a
// whole body after some of its bytes, or keep the connection open after the last byte. Each change
// calls its `applied` callback at the virtual moment it reaches the client, which is when a fault
// records its effect (harness/faults/hooks.ts defines the boundaries).
import type { Actor } from '../sim/actors.ts';
import type { Kernel } from '../sim/kernel.ts';

/** One piece of a body: an SSE event's text, a binary event-stream message, or a whole JSON body. */
export interface BodyPiece {
  readonly text: string;
  /** The piece's bytes, for a binary body (AWS event-stream messages); `text` is then only a label. */
  readonly bytes?: Uint8Array;
  /** A content chunk (generated text or tool arguments, in the uniform unit): paced, and counted for boundaries. */
  readonly content?: boolean;
  /** The first of the closing events (finish reason, usage, `[DONE]`, `message_delta`, `response.completed`…). */
  readonly end?: boolean;
}

interface Applied {
  readonly applied: () => void;
}

/** How a body unfolds. Every field but `chunkDelayMs` is a fault's doing. */
export interface BodyPlan {
  /** Virtual milliseconds between consecutive content chunks (framing travels with its neighbours). */
  readonly chunkDelayMs: number;
  /** Hold the body back after the head: `ms`, or forever when undefined. */
  headStall?: Applied & { readonly ms: number | undefined };
  /** Pauses at content boundaries, in the order they were planned. */
  readonly stalls: Array<Applied & { readonly at: number; readonly ms: number }>;
  /** Ends at a content boundary: quietly, as a dropped connection, or with `pieces` and then quietly. */
  stop?: Applied & { readonly at: number; readonly mode: 'close' | 'error' | 'pieces'; readonly pieces?: readonly BodyPiece[] };
  /** For a whole body: deliver this share of its bytes, then fail as a dropped connection. */
  cutBytes?: Applied & { readonly keepFraction: number };
  /** Keep the connection open after the last byte: `ms`, or forever when undefined. */
  hold?: Applied & { readonly ms: number | undefined };
}

export function emptyPlan(chunkDelayMs: number): BodyPlan {
  return { chunkDelayMs, stalls: [] };
}

/** undici's error for a connection that dropped mid-body. */
export function terminated(): TypeError {
  return new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
}

const encoder = new TextEncoder();

/**
 * The body. `signal` is the request's abort signal: aborting it fails the body with the signal's
 * reason, as undici does, even while the body is held back or a chunk is on its way.
 */
export function virtualStream(kernel: Kernel, actor: Actor, pieces: readonly BodyPiece[], plan: BodyPlan, signal?: AbortSignal): ReadableStream<Uint8Array> {
  const contentChunks = pieces.filter((p) => p.content === true).length;
  let next = 0;
  let content = 0;
  let started = false;
  let endReached = false;
  let held = false;
  let cancelled = false;
  const forever = () => new Promise<void>(() => undefined);
  const wait = async (ms: number | undefined) => {
    if (ms === undefined) await forever();
    else if (ms > 0) await kernel.delay(actor, ms);
  };
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
      if (!started) {
        started = true;
        if (plan.headStall !== undefined) {
          plan.headStall.applied();
          await wait(plan.headStall.ms);
          if (cancelled) return;
        }
      }
      const piece = pieces[next];
      let boundary: number | undefined;
      if (piece?.content === true) boundary = content;
      else if (!endReached && (piece === undefined || piece.end === true) && content === contentChunks) {
        endReached = true;
        boundary = contentChunks;
      }
      let delay = 0;
      if (boundary !== undefined) {
        const stop = plan.stop;
        if (stop !== undefined && stop.at === boundary) {
          stop.applied();
          kernel.trace.record({ type: 'mark', name: 'stream.cut', actor: actor.name, data: { afterChunks: boundary, mode: stop.mode } });
          if (stop.mode === 'error') controller.error(terminated());
          else {
            for (const p of stop.pieces ?? []) controller.enqueue(bytesOf(p));
            controller.close();
          }
          cancelled = true;
          return;
        }
        for (const stall of plan.stalls) {
          if (stall.at !== boundary) continue;
          stall.applied();
          kernel.trace.record({ type: 'mark', name: 'stream.stall', actor: actor.name, data: { afterChunks: boundary, stallMs: stall.ms } });
          delay += stall.ms;
        }
      }
      if (piece?.content === true) {
        if (content > 0) delay += plan.chunkDelayMs;
        content++;
      }
      if (piece !== undefined) next++;
      if (delay > 0) await kernel.delay(actor, delay);
      if (cancelled) return;
      if (piece === undefined) {
        if (plan.hold !== undefined && !held) {
          held = true;
          plan.hold.applied();
          await wait(plan.hold.ms);
          if (cancelled) return;
        }
        controller.close();
        return;
      }
      if (plan.cutBytes !== undefined && pieces.length === 1) {
        const bytes = bytesOf(piece);
        const keep = Math.floor(bytes.length * plan.cutBytes.keepFraction);
        plan.cutBytes.applied();
        if (keep > 0) controller.enqueue(bytes.slice(0, keep));
        controller.error(terminated());
        cancelled = true;
        return;
      }
      controller.enqueue(bytesOf(piece));
    },
  });
}

function bytesOf(piece: BodyPiece): Uint8Array {
  return piece.bytes ?? encoder.encode(piece.text);
}
