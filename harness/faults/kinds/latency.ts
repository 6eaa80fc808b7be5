// latency: the call takes longer. The delay is added where it really happens on each layer.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { latencyModel } from '../paramSchemas.ts';

/** Largest delay a model can draw: a rule whose model can only draw 0 ms never delays anything. */
function maxMsOf(model: z.output<typeof latencyModel>): number {
  switch (model.kind) {
    case 'fixed':
      return model.ms;
    case 'uniform':
      return model.maxMs;
    case 'lognormal':
      return model.medianMs === 0 ? 0 : (model.maxMs ?? 1);
    case 'pareto':
      return model.minMs === 0 ? 0 : (model.maxMs ?? 1);
  }
}

export const latency = defineFaultKind({
  kind: 'latency',
  summary: 'The call takes longer: a delay drawn from a latency model, in virtual time.',
  params: z.object({ latency: latencyModel }).strict(),
  layers: {
    http: 'the request waits before it reaches the handler (after the network latency of both halves)',
    llm: 'the model call waits before the model answers (added to the time to the first token)',
    tool: 'the tool call waits before the handler runs',
    mcp: 'the request reaches the server later (message order per direction is kept)',
    store: 'the store call waits before it is applied',
  },
  refuse: (params) => (maxMsOf(params.latency) === 0 ? 'its latency model can only draw 0 ms, so it never delays anything' : undefined),
});
