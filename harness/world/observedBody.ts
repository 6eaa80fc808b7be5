// What an agent reads of a response body goes into the trace as a digest. The response's reading
// methods (text, json, arrayBuffer, bytes, blob, formData) are wrapped on the instance, and its
// `body` stream is wrapped only if the agent asks for it (SDKs do, to stream), so an unread body
// costs nothing and a partly read stream is digested as far as it was read.
import { Digester } from '../sim/digest.ts';

/** Called once, when the body has been read to its end (`complete`) or abandoned part way. */
export type OnBodyRead = (observed: { readonly digest: string; readonly bytes: number; readonly complete: boolean }) => void;

const READERS = ['text', 'json', 'arrayBuffer', 'bytes', 'blob', 'formData'] as const;

/** What one observed response has reported, and the wrapped body stream once asked for. */
interface Observed {
  readonly onRead: OnBodyRead;
  reported: boolean;
  wrapped: ReadableStream<Uint8Array> | null | undefined;
}

// The functions put on an observed response are made once and find the response's state through
// `this`: functions or getters made per response would give each response its own hidden class in
// V8's old space, keeping the run's objects alive through young-generation collections.
const observed = new WeakMap<Response, Observed>();
const proto = Response.prototype as unknown as Record<string, (this: Response) => Promise<unknown>>;
const bodyGetter = Object.getOwnPropertyDescriptor(Response.prototype, 'body')?.get;

function report(state: Observed, digester: Digester, complete: boolean): void {
  if (state.reported) return;
  state.reported = true;
  state.onRead({ digest: digester.digest(), bytes: digester.bytes, complete });
}

const readers = READERS.filter((name) => typeof proto[name] === 'function').map(
  (name) =>
    [
      name,
      async function read(this: Response) {
        const state = observed.get(this);
        if (state === undefined || this.bodyUsed) return proto[name]?.call(this);
        const bytes = new Uint8Array(await (proto.arrayBuffer as (this: Response) => Promise<ArrayBuffer>).call(this));
        const digester = new Digester();
        digester.update(bytes);
        report(state, digester, true);
        return decode(name, bytes, this);
      },
    ] as const,
);

function observedBody(this: Response): ReadableStream<Uint8Array> | null {
  const state = observed.get(this);
  const inner = (): ReadableStream<Uint8Array> | null => (bodyGetter?.call(this) as ReadableStream<Uint8Array> | null) ?? null;
  if (state === undefined) return inner();
  if (state.wrapped === undefined) {
    const stream = inner();
    state.wrapped = stream === null ? null : digesting(stream, (digester, complete) => report(state, digester, complete));
  }
  return state.wrapped;
}

/** Makes `response` report what is read of its body to `onRead`, and returns it. */
export function observeBody(response: Response, onRead: OnBodyRead): Response {
  if (response.body === null) return response;
  observed.set(response, { onRead, reported: false, wrapped: undefined });
  for (const [name, read] of readers) Object.defineProperty(response, name, { configurable: true, writable: true, value: read });
  Object.defineProperty(response, 'body', { configurable: true, get: observedBody });
  return response;
}

function decode(name: (typeof READERS)[number], bytes: Uint8Array, like: Response): unknown {
  if (name === 'arrayBuffer') return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  if (name === 'bytes') return bytes;
  const text = new TextDecoder().decode(bytes);
  if (name === 'text') return text;
  if (name === 'json') return JSON.parse(text);
  // blob and formData: let a fresh Response with the same headers do the decoding.
  const copy = new Response(bytes as unknown as BodyInit, { headers: like.headers });
  return name === 'blob' ? copy.blob() : copy.formData();
}

/** A pull-through copy of `inner` that digests each chunk the reader takes. */
function digesting(inner: ReadableStream<Uint8Array>, report: (digester: Digester, complete: boolean) => void): ReadableStream<Uint8Array> {
  // The inner stream is locked at the first read, not before: looking at `response.body` (to test
  // for one, say) must not stop the agent from calling text() afterwards.
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const digester = new Digester();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          reader ??= inner.getReader();
          next = await reader.read();
        } catch (error) {
          report(digester, false);
          controller.error(error);
          return;
        }
        if (next.done) {
          report(digester, true);
          controller.close();
          return;
        }
        digester.update(next.value);
        controller.enqueue(next.value);
      },
      cancel(reason) {
        report(digester, false);
        return reader === undefined ? inner.cancel(reason) : reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
