// schema-drift: a tool's input schema changes under the same name.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const schemaDrift = defineFaultKind({
  kind: 'schema-drift',
  summary: 'A tool’s input field is renamed (from when.afterMs): callers with the old schema are rejected.',
  params: withDefaults({ tool: z.string().min(1).optional(), field: z.string().min(1).optional(), to: z.string().min(1).optional() }),
  layers: {
    tool: 'the tool’s listed schema renames `field` (first field by default) to `to` (`<field>_v2`); calls with the old field are rejected with invalid-input',
    mcp: 'the server updates the tool through RegisteredTool.update and announces notifications/tools/list_changed',
  },
  refuse: (params) => (params.field !== undefined && params.field === params.to ? `renaming "${params.field}" to itself changes nothing` : undefined),
});
