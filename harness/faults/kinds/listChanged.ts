// list-changed: a server announces that its tool list changed, when nothing did.
import { defineFaultKind } from '../faultKind.ts';
import { none } from '../paramSchemas.ts';

export const listChanged = defineFaultKind({
  kind: 'list-changed',
  summary: 'The server sends notifications/tools/list_changed (at when.afterMs) without changing anything.',
  params: none,
  layers: { mcp: 'every live connection receives the notification; clients that re-list see the same tools' },
});
