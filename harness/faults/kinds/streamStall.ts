// stream-stall: a streamed answer pauses at a content boundary, as a provider under load does.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { ms } from '../paramSchemas.ts';
import { boundaryOf } from './boundary.ts';

export const streamStall = defineFaultKind({
  kind: 'stream-stall',
  summary: 'A streamed answer pauses for stallMs at a content-chunk boundary (after every chunk and before the closing events, at most).',
  params: z.object({ afterChunks: z.number().int().min(0).default(2), stallMs: ms, within: z.enum(['content', 'arguments']).default('content') }).strict(),
  layers: {
    llm: 'the stream pauses before content chunk afterChunks (counted in the uniform unit of harness/faults/hooks.ts; of the tool-call argument deltas only, with within: arguments); afterChunks equal to the chunk count pauses before the finish events and `[DONE]` / `message_stop`, which the SDK iterators wait for',
  },
  refuse: (params) => (params.stallMs === 0 ? 'stallMs 0 never pauses the stream' : undefined),
  onBody: (body, params, hit) => {
    if (!body.streamed) return hit.noEffect('the response was not streamed (use body-stall for a whole body)');
    const at = boundaryOf(body, params.afterChunks, params.within);
    if (typeof at === 'string') return hit.noEffect(at);
    body.stallAt(at, params.stallMs, () => hit.effect({ afterChunks: params.afterChunks, within: params.within, stallMs: params.stallMs }));
  },
});
