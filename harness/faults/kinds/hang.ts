// hang: the call is lost and nothing ever answers it; only the client's own timeout or abort ends it.
import { defineFaultKind } from '../faultKind.ts';
import { none } from '../paramSchemas.ts';

export const hang = defineFaultKind({
  kind: 'hang',
  summary: 'Nothing ever answers: only the client timeout (a virtual timer) or its abort signal ends the call.',
  params: none,
  layers: {
    http: 'the request is sent and no response head ever arrives (the SDK timeout fires in virtual time)',
    llm: 'the model never answers: no response head reaches the client',
    tool: 'the tool call never settles',
    mcp: 'the request is lost on the way (over HTTP, no response head arrives): the MCP client request timeout or abort ends it',
    store: 'the store call never settles',
  },
});
