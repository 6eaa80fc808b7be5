// held-open: every byte (every content chunk, the finish events and `[DONE]`) arrives, then the
// connection stays open. An SDK stream iterator only ends when the body ends
// (earendil-works/pi#7954), so a `for await` over it waits.
import { defineFaultKind } from '../faultKind.ts';
import { ms, withDefaults } from '../paramSchemas.ts';

export const heldOpen = defineFaultKind({
  kind: 'held-open',
  summary: 'The whole body arrives, then the connection stays open holdMs (forever when left out) before the body ends.',
  params: withDefaults({ holdMs: ms.optional() }),
  layers: {
    http: 'the body’s bytes all arrive; its end comes holdMs later (or never, until the client aborts)',
    llm: 'every event including the terminator (`[DONE]`, `message_stop`, `response.completed`) arrives; the body ends holdMs later, or never',
  },
  refuse: (params) => (params.holdMs === 0 ? 'holdMs 0 closes the body at once, as normal' : undefined),
  onBody: (body, params, hit) => body.holdOpen(params.holdMs, () => hit.effect(params.holdMs === undefined ? { forever: true } : { holdMs: params.holdMs })),
});
