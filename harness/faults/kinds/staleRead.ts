// stale-read: a read served by a lagging replica.
import { defineFaultKind } from '../faultKind.ts';
import { ms, withDefaults } from '../paramSchemas.ts';

export const staleRead = defineFaultKind({
  kind: 'stale-read',
  summary: 'A read is served as of lagMs ago, as by a lagging replica.',
  params: withDefaults({ lagMs: ms.default(1_000) }),
  layers: { store: 'the read returns the state as of lagMs ago; marked only when that differs from the current state' },
  refuse: (params) => (params.lagMs === 0 ? 'lagMs 0 reads the current state' : undefined),
});
