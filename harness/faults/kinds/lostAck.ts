// lost-ack: the server applied the request, then the reply was lost — reset on the way back, or so
// late that the client had given up — so a retry applies it again (the double charge).
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { ms, withDefaults } from '../paramSchemas.ts';

export const lostAck = defineFaultKind({
  kind: 'lost-ack',
  summary: 'The request is applied, then its reply is lost: the connection resets, or the reply arrives lateMs later (after a client timeout).',
  params: withDefaults({
    mode: z.enum(['reset', 'late']).default('reset'),
    /** For `late`: how long after the request was applied the reply arrives. */
    lateMs: ms.default(60_000),
  }),
  layers: {
    http: 'the handler runs (its side effects happen), then `reset` rejects fetch with ECONNRESET, or `late` delays the response by lateMs',
    llm: 'the model answers and the call is billed, then the reply is lost (ECONNRESET) or arrives lateMs later',
    tool: 'the handler runs, then `reset` rejects with ToolError (reason `lost-reply`), or `late` settles lateMs later',
    mcp: 'the server runs the request, then `reset` drops the connection before the reply (over HTTP, the stream or response carrying it), or `late` delays the reply by lateMs (after the client request timeout)',
    store: 'the write is applied, then `reset` rejects with StoreError (reason `lost-ack`, an `info` in the history), or `late` acknowledges lateMs later',
  },
  refuse: (params) => (params.mode === 'late' && params.lateMs === 0 ? 'lateMs 0 delivers the reply on time' : undefined),
});
