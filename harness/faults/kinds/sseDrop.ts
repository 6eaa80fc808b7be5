// sse-drop: the event stream carrying a request's answer drops part-way, as a proxy's idle timeout
// or a lost connection drops a long tool call. A Streamable HTTP client that got an event id
// reconnects with GET and Last-Event-ID (the SDK client does, after its reconnection delay), and a
// server with an event store replays what was missed; a server that ignores Last-Event-ID (no event
// store, another replica) cannot, and the answer is lost.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const sseDrop = defineFaultKind({
  kind: 'sse-drop',
  summary: 'The SSE stream answering a request drops after afterEvents of its messages; the server honours Last-Event-ID or not.',
  params: withDefaults({
    /** Messages (progress notifications, then the response) delivered before the drop; a priming event does not count. */
    afterEvents: z.number().int().min(0).default(0),
    /** `error`: the connection drops (reading fails with undici's `TypeError: terminated`); `close`: the stream ends cleanly. */
    mode: z.enum(['error', 'close']).default('error'),
    /** Whether the server replays the missed events to a client that reconnects with Last-Event-ID. */
    resume: z.boolean().default(true),
  }),
  layers: {
    mcp: 'Streamable HTTP with SSE responses: the stream answering the request ends before its message afterEvents + 1; with resume, a client reconnecting with Last-Event-ID is replayed the rest from the event store; without it, the server treats that GET as a new stream and the answer is lost. A JSON response and the in-process transport have no stream to drop (no effect, with the reason)',
  },
});
