// Bedrock's wire encoding. JSON bodies are compact with their keys in alphabetical order, as the
// service writes them (`{"metrics":{"latencyMs":491},"output":{"message":{"content":[…],"role":
// "assistant"}},"stopReason":"end_turn","usage":{…}}`, captured Converse responses). A stream is
// AWS's binary event-stream (`application/vnd.amazon.eventstream`): one message per event, its
// headers `:event-type`, `:content-type` and `:message-type` (or `:exception-type` for an
// exception), its payload that JSON. The framing — prelude, header encoding and both CRC32s — is
// @smithy/eventstream-codec's, the codec the AWS SDK itself decodes with
// (docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html#streaming-event-stream).
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import type { SseEvent } from '../sse.ts';
import type { WireEncoding } from '../wireBody.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes) => decoder.decode(bytes),
  (text) => encoder.encode(text),
);

/** JSON with every object's keys in alphabetical order. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** An event named `…Exception` (`throttlingException`) is an exception message; any other name an event. */
export function isException(name: string): boolean {
  return name.endsWith('Exception');
}

/** One event-stream message. */
export function frame(event: SseEvent): Uint8Array {
  const name = event.event ?? 'event';
  const string = (value: string) => ({ type: 'string' as const, value });
  const headers: MessageHeaders = isException(name)
    ? { ':exception-type': string(name), ':content-type': string('application/json'), ':message-type': string('exception') }
    : { ':event-type': string(name), ':content-type': string('application/json'), ':message-type': string('event') };
  return codec.encode({ headers, body: encoder.encode(typeof event.data === 'string' ? event.data : sortedJson(event.data)) });
}

export const bedrockEncoding: WireEncoding = {
  frame,
  serialize: sortedJson,
  streamType: 'application/vnd.amazon.eventstream',
};
