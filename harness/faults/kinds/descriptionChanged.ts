// description-changed: a tool's description changes under the same name.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const descriptionChanged = defineFaultKind({
  kind: 'description-changed',
  summary: 'A tool’s description changes under the same name (its contract drifted).',
  params: withDefaults({ tool: z.string().min(1).optional(), to: z.string().min(1).optional() }),
  layers: {
    tool: 'the listed description becomes `to` (default: a deprecation warning appended)',
    mcp: 'the server updates the description and announces notifications/tools/list_changed',
  },
});
