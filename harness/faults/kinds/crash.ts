// crash: the writer dies right after a write was applied.
import { defineFaultKind } from '../faultKind.ts';
import { none } from '../paramSchemas.ts';

export const crash = defineFaultKind({
  kind: 'crash',
  summary: 'The writing actor dies right after its write was applied (run outcome `crashed` for main).',
  params: none,
  layers: { store: 'the write is applied, then the calling actor stops for good' },
});
