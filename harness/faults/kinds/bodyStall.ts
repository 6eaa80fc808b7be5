// body-stall: the response head arrives at once, then the body does not. The SDKs clear their
// request timeout when the head arrives (openai-node client.js fetchWithTimeout), so only a
// timeout or signal of the agent's own ends the wait.
import { defineFaultKind } from '../faultKind.ts';
import { ms, withDefaults } from '../paramSchemas.ts';

export const bodyStall = defineFaultKind({
  kind: 'body-stall',
  summary: 'Status and headers arrive at once; the body then stalls stallMs (forever when left out).',
  params: withDefaults({ stallMs: ms.optional() }),
  layers: {
    http: 'the response resolves, and reading its body waits stallMs (or until the client aborts)',
    llm: 'the provider’s 200 head arrives; the JSON body (or the first event of a stream) waits stallMs, or until the client aborts',
  },
  refuse: (params) => (params.stallMs === 0 ? 'stallMs 0 never stalls the body' : undefined),
  onBody: (body, params, hit) =>
    body.stallBody(params.stallMs, () => hit.effect(params.stallMs === undefined ? { forever: true } : { stallMs: params.stallMs })),
});
