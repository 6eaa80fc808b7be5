// tool-renamed: a tool answers to a new name.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';

export const toolRenamed = defineFaultKind({
  kind: 'tool-renamed',
  summary: 'A tool answers to a new name (from when.afterMs); the old name is not found.',
  params: z.object({ tool: z.string().min(1).optional(), to: z.string().min(1) }).strict(),
  layers: {
    tool: 'the tool is listed and called as `to`; the old name fails with not-found',
    mcp: 'the server renames the tool and announces notifications/tools/list_changed',
  },
  refuse: (params) => (params.tool !== undefined && params.tool === params.to ? `renaming "${params.tool}" to itself changes nothing` : undefined),
});
