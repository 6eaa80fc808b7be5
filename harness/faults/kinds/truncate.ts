// truncate: the answer stops part-way. On the wire a body is cut by a dropped connection; a tool
// "succeeds" with part of its data.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const truncate = defineFaultKind({
  kind: 'truncate',
  summary: 'The answer stops part-way: a body cut by a dropped connection, or a tool result with part of its data.',
  params: withDefaults({ keepFraction: z.number().min(0).max(1).default(0.5) }),
  layers: {
    http: 'the body ends after keepFraction of its bytes with `TypeError: terminated` (undici’s dropped-connection error)',
    llm: 'a whole body as over HTTP; a streamed body drops (an error, not a clean end) after keepFraction of its content chunks',
    tool: 'the result keeps the first keepFraction of its lists, of its text, or of its fields',
  },
  refuse: (params, where) =>
    where.layer === 'tool' && params.keepFraction === 1 ? 'keepFraction 1 keeps the whole tool result, so it changes nothing' : undefined,
  onBody: (body, params, hit) => body.truncate(params.keepFraction, () => hit.effect({ keepFraction: params.keepFraction })),
});
