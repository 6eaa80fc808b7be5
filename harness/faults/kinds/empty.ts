// empty: an answer with nothing in it.
import { defineFaultKind } from '../faultKind.ts';
import { none } from '../paramSchemas.ts';

export const empty = defineFaultKind({
  kind: 'empty',
  summary: 'An answer with nothing in it.',
  params: none,
  layers: {
    http: 'the status and headers arrive with no body at all (a body that was already empty is left alone, unmarked)',
    llm: 'the model answers with no text and no tool calls (`content: ""` / `content: []`, finish reason stop)',
    tool: 'the result is `[]`, `""`, `{}` or null, after its type (a result that was already empty is left alone, unmarked)',
  },
  onBody: (body, _params, hit) => {
    // A provider's answer is emptied by the model (onReply), as the real API sends an empty answer;
    // only a plain HTTP body loses its bytes.
    if (body.api !== 'http') return;
    body.empty(() => hit.effect());
  },
  onReply: (reply, _params, hit) => {
    if (reply.text === '' && reply.toolCalls.length === 0) return hit.noEffect('the model’s answer was already empty');
    reply.clear();
    hit.effect();
  },
});
