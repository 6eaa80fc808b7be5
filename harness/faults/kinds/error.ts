// error: the service reports that it failed, in the shape the layer's clients expect.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const error = defineFaultKind({
  kind: 'error',
  summary: 'The call fails, certainly without effect.',
  params: withDefaults({ message: z.string().default('simulated failure') }),
  layers: {
    tool: 'the call rejects with ToolError (reason `failed`) before the handler runs',
    mcp: 'a tools/call answers a result with `isError: true` and the message, as McpServer reports a throwing tool',
    store: 'the call rejects with StoreError (reason `failed`): certainly not applied (a `fail` in the history)',
  },
});
