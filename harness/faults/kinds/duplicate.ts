// duplicate: a write delivered twice (a network redelivery, a retried message).
import { defineFaultKind } from '../faultKind.ts';
import { none } from '../paramSchemas.ts';

export const duplicate = defineFaultKind({
  kind: 'duplicate',
  summary: 'A write is delivered and applied twice, unless an idempotency key makes the second a no-op.',
  params: none,
  layers: {
    store: 'the write is applied a second time; marked only when the second application changed the store (a second delete of a key does not)',
  },
});
