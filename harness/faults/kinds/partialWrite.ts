// partial-write: a multi-part write is interrupted after part of it was applied.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const partialWrite = defineFaultKind({
  kind: 'partial-write',
  summary: 'A write is interrupted after keepFraction of its parts was applied, and the call fails.',
  params: withDefaults({ keepFraction: z.number().min(0).max(1).default(0.5) }),
  layers: { store: 'keepFraction of a multi-part write (a transaction) is applied, then StoreError (reason `partial-write`) — may have applied, an `info`' },
});
