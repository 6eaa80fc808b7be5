// version-skew: a model alias moves to another dated version mid-run, as providers roll them out.
import { z } from 'zod';
import { defineFaultKind } from '../faultKind.ts';

export const versionSkew = defineFaultKind({
  kind: 'version-skew',
  summary: 'A model name answers as another declared version (its brain, and its name in the response’s `model` field).',
  params: z.object({ to: z.string().min(1) }).strict(),
  layers: { llm: 'the call is answered by llm.models[name].versions[to]; a call already on that version is not marked' },
});
