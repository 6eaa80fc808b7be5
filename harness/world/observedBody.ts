// What an agent reads of a response body goes into the trace as a digest. The response's reading
// methods (text, json, arrayBuffer, bytes, blob, formData) are wrapped on the instance, and its
// `body` stream is wrapped only if the agent asks for it (SDKs do, to stream), so an unread body
// costs nothing and a partly read stream is digested as far as it was read.
import { Digester } from '../sim/digest.ts';

/** Called once, when the body has been read to its end (`complete`) or abandoned part way. */
export type OnBodyRead = (observed: { readonly digest: string; readonly bytes: number; readonly complete: boolean }) => void;

const READERS = ['text', 'json', 'arrayBuffer', 'bytes', 'blob', 'formData'] as const;

/** Makes `response` report what is read of its body to `onRead`, and returns it. */
export function observeBody(response: Response, onRead: OnBodyRead): Response {
  if (response.body === null) return response;
  const proto = Response.prototype as unknown as Record<string, (this: Response) => Promise<unknown>>;
  const bodyGetter = Object.getOwnPropertyDescriptor(Response.prototype, 'body')?.get;
  let reported = false;
  const report = (digester: Digester, complete: boolean): void => {
    if (reported) return;
    reported = true;
    onRead({ digest: digester.digest(), bytes: digester.bytes, complete });
  };
  for (const name of READERS) {
    if (typeof proto[name] !== 'function') continue;
    Object.defineProperty(response, name, {
      configurable: true,
      writable: true,
      value: async function read(this: Response) {
        if (response.bodyUsed) return proto[name]?.call(response);
        const bytes = new Uint8Array(await (proto.arrayBuffer as (this: Response) => Promise<ArrayBuffer>).call(response));
        const digester = new Digester();
        digester.update(bytes);
        report(digester, true);
        return decode(name, bytes, response);
      },
    });
  }
  let wrapped: ReadableStream<Uint8Array> | null | undefined;
  Object.defineProperty(response, 'body', {
    configurable: true,
    get() {
      if (wrapped === undefined) {
        const inner = bodyGetter?.call(response) as ReadableStream<Uint8Array> | null;
        wrapped = inner === null ? null : digesting(inner, report);
      }
      return wrapped;
    },
  });
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
