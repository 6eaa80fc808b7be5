// slow-initialize: the handshake is slow, or never answered: a server cold-starting, loading a
// large index, or stuck behind a dependency before it can answer `initialize`. Only initialize
// requests are this kind's calls, so `when.calls: [1]` is the second handshake (a reconnection).
import { defineFaultKind } from '../faultKind.ts';
import { ms, withDefaults } from '../paramSchemas.ts';

export const slowInitialize = defineFaultKind({
  kind: 'slow-initialize',
  summary: 'The server answers initialize delayMs late, or never (delayMs left out): only the client’s own timeout ends the handshake.',
  params: withDefaults({ delayMs: ms.optional() }),
  layers: {
    mcp: 'the initialize request reaches the server delayMs late, or is never answered (in-process: lost on the way; over HTTP: no response head arrives), so Client.connect waits for its request timeout (60 s by default)',
  },
  refuse: (params) => (params.delayMs === 0 ? 'delayMs 0 answers the handshake on time' : undefined),
});
