// Global mode: for agent code that calls the global fetch or node:http(s) and cannot be handed
// world.fetch. msw's setupServer is installed for the run with one catch-all handler that forwards
// every intercepted request to the main actor's world.fetch, so such requests are yield points with
// the run's latency, faults, handlers and simulated providers like any other.
//
// One trap is side-stepped on purpose: with msw 2.x on Node 20, cancelling the body of a response
// produced by msw's fetch interceptor never settles (mswjs/interceptors issue 799: the interceptor
// tees the body and the unread branch blocks the cancel), and the openai SDK cancels the body of
// every response it retries, so a 429 or 503 would hang the client forever. The global fetch is
// therefore replaced by world.fetch itself (no interceptor, no tee, so cancel settles), while
// setupServer keeps serving node:http(s) clients, whose bodies are Node streams. node:http2, which
// msw does not intercept, is served by http2Client.ts (the AWS SDK's Bedrock client speaks it).
// msw/node is loaded on demand, before a run in global mode (harness/onDemand.ts).
import { http } from 'msw';
import { mswNode } from '../onDemand.ts';
import { patchProperty } from '../sim/patch.ts';
import type { WorldFetch } from './fetch.ts';
import { installHttp2Client } from './http2Client.ts';

/** Installs global mode around `fetch` (the main actor's world.fetch); returns the function that removes it. */
export function installGlobalNetwork(fetch: WorldFetch): () => void {
  const { setupServer } = mswNode.get();
  const server = setupServer(http.all('*', ({ request }) => fetch(request)));
  // Every request matches the catch-all; unhandled requests are reported by world.fetch itself.
  server.listen({ onUnhandledRequest: 'error' });
  const undo: Array<() => void> = [];
  try {
    undo.push(patchProperty(globalThis, 'fetch', fetch));
    undo.push(installHttp2Client(fetch));
  } catch (error) {
    for (const u of undo.reverse()) u();
    server.close();
    throw error;
  }
  return () => {
    try {
      for (const u of undo.reverse()) u();
    } finally {
      server.close();
    }
  };
}
