// stream-cut: a streamed answer ends early, quietly or as a dropped connection.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';
import { boundaryOf } from './boundary.ts';

export const streamCut = defineFaultKind({
  kind: 'stream-cut',
  summary: 'A streamed answer ends at a content-chunk boundary: a clean close (no finish events) or a dropped connection.',
  params: withDefaults({
    afterChunks: z.number().int().min(0).default(2),
    mode: z.enum(['close', 'error']).default('close'),
    /** Count all content chunks, or only the tool-call argument deltas (a cut inside the call's JSON). */
    within: z.enum(['content', 'arguments']).default('content'),
  }),
  layers: {
    llm: 'the stream ends before content chunk afterChunks (uniform unit; of the tool-call argument deltas with within: arguments); at afterChunks equal to the chunk count only the finish events (finish_reason, usage, `[DONE]`, `message_stop`, `response.completed`) are lost; `error` fails the body with `TypeError: terminated`',
  },
  apis: {
    'gemini.generateContent':
      'Gemini streams have no terminator: a `close` cut looks like the end of the answer to a client that does not check for the finishReason event (@google/genai raises nothing); a function call arrives whole, in one event, so it is one content chunk and a cut within its arguments falls before or after it',
    'bedrock.converse': 'a `close` cut ends the event stream before `messageStop`; the AWS SDK’s iterator simply ends',
  },
  onBody: (body, params, hit) => {
    if (!body.streamed) return hit.noEffect('the response was not streamed (use truncate for a whole body)');
    const at = boundaryOf(body, params.afterChunks, params.within);
    if (typeof at === 'string') return hit.noEffect(at);
    body.cutAt(at, params.mode, () => hit.effect({ afterChunks: params.afterChunks, within: params.within, mode: params.mode }));
  },
});
