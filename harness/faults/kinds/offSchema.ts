// off-schema: a 200 whose body does not match the API's schema, as from a drifted API or a
// misrouted gateway.
import { defineFaultKind } from '../faultKind.ts';
import { none } from '../paramSchemas.ts';

export const offSchema = defineFaultKind({
  kind: 'off-schema',
  summary: 'HTTP 200 whose body does not match the API’s schema.',
  params: none,
  layers: {
    llm: 'the right envelope with the answer under another name (OpenAI), or the legacy Text Completions shape (Anthropic), whole or streamed',
  },
  apis: {
    'openai.chat': 'no `choices`; the text under `message`',
    'openai.responses': 'no `output`; the items under `result`',
    'anthropic.messages': '`{ type: "completion", completion, stop_reason }` (the legacy Text Completions API); streamed as `event: completion`',
    direct: 'world.llm has no wire schema: no effect',
    'gemini.generateContent': 'the PaLM API’s `{ candidates: [{ output, safetyRatings }] }` (generateText), whole or streamed',
    'bedrock.converse':
      'InvokeModel’s native Anthropic body where Converse was asked; streamed, InvokeModelWithResponseStream `chunk` events, which a ConverseStream reader does not know',
    'azure.openai': 'as Chat Completions',
  },
  onBody: (body, _params, hit) => {
    if (!body.offSchema(() => hit.effect())) hit.noEffect(`${body.api} has no wire schema to break`);
  },
});
