// stream-cut: a streamed answer ends early, quietly or as a dropped connection.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const streamCut = defineFaultKind({
  kind: 'stream-cut',
  summary: 'A streamed answer ends at a content-chunk boundary: a clean close (no finish events) or a dropped connection.',
  params: withDefaults({ afterChunks: z.number().int().min(0).default(2), mode: z.enum(['close', 'error']).default('close') }),
  layers: {
    llm: 'the stream ends before content chunk afterChunks (uniform unit); at afterChunks equal to the chunk count only the finish events (finish_reason, usage, `[DONE]`, `message_stop`, `response.completed`) are lost; `error` fails the body with `TypeError: terminated`',
  },
  onBody: (body, params, hit) => {
    if (!body.streamed) return hit.noEffect('the response was not streamed (use truncate for a whole body)');
    if (params.afterChunks > body.contentChunks) return hit.noEffect(`the stream has only ${body.contentChunks} content chunks`);
    body.cutAt(params.afterChunks, params.mode, () => hit.effect({ afterChunks: params.afterChunks, mode: params.mode }));
  },
});
