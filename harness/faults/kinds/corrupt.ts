// corrupt: one plausible wrong fact in an answer, recorded as a taint so properties can follow it.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';
import { withDefaults } from '../paramSchemas.ts';

export const corrupt = defineFaultKind({
  kind: 'corrupt',
  summary: 'One plausible wrong fact (a number, date, name or boolean) in an answer, recorded as a `taint` mark.',
  params: withDefaults({ fact: z.enum(['number', 'date', 'name', 'boolean', 'any']).default('any') }),
  layers: {
    llm: 'a fact in the first tool call whose arguments have one, else in the text, changes to a faker value of the same kind',
    tool: 'a fact in the tool’s result changes',
    mcp: 'a fact in a tools/call result changes, consistently in structuredContent and its JSON text mirror',
  },
  onReply: (reply, params, hit) => {
    const changed = reply.corrupt(params.fact, hit.id);
    if (changed === undefined) return hit.noEffect(`the answer has no ${params.fact === 'any' ? '' : `${params.fact} `}fact to change`);
    hit.effect({ where: changed.where, path: changed.path });
  },
});
