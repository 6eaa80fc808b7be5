// outage: the connection fails before any response, as undici reports it.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const outage = defineFaultKind({
  kind: 'outage',
  summary: "The connection fails: fetch rejects with undici's `TypeError: fetch failed` whose cause is ECONNREFUSED or ECONNRESET.",
  params: withDefaults({ mode: z.enum(['refused', 'reset']).default('refused') }),
  layers: {
    http: 'fetch rejects before the request reaches the handler (`refused`: nothing was sent; `reset`: dropped while sending)',
    llm: 'the request to the provider fails at the connection; `reset` counts as an attempt the provider saw, `refused` does not',
    mcp: 'over HTTP, fetch rejects before the server sees the request; the in-process transport has no connection to refuse (no effect, with the reason: `disconnect` is its connection fault)',
  },
});
