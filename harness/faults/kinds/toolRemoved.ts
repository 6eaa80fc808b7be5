// tool-removed: a tool disappears.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const toolRemoved = defineFaultKind({
  kind: 'tool-removed',
  summary: 'A tool disappears (from when.afterMs).',
  params: withDefaults({ tool: z.string().min(1).optional() }),
  layers: {
    tool: 'the tool is no longer listed and calls to it fail with ToolError (reason `not-found`)',
    mcp: 'the server removes the tool and announces notifications/tools/list_changed; calls get the SDK’s unknown-tool error',
  },
});
