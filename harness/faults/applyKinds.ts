// Runs the hooks of the kinds that hit a call: each kind's file decides what its hit does to a
// body or a reply (harness/faults/kinds/), the layer only offers the hooks.
import type { FaultKindSpec } from './faultKind.ts';
import type { BodyHooks, ReplyHooks } from './hooks.ts';
import type { Hit } from './injector.ts';
import { faultKind } from './kinds/index.ts';

function specOf(hit: Hit): FaultKindSpec | undefined {
  return faultKind(hit.kind) as FaultKindSpec | undefined;
}

/** True for kinds that act on a response body (streamed or whole). */
export function isBodyKind(hit: Hit): boolean {
  return specOf(hit)?.onBody !== undefined;
}

/** True for kinds that change what a model produced. */
export function isReplyKind(hit: Hit): boolean {
  return specOf(hit)?.onReply !== undefined;
}

/** Lets every body kind among `hits` plan its change, in plan order (off-schema first, as it replaces the body). */
export function applyBodyFaults(hits: readonly Hit[], body: BodyHooks): void {
  const ordered = [...hits].sort((a, b) => Number(b.kind === 'off-schema') - Number(a.kind === 'off-schema'));
  for (const hit of ordered) specOf(hit)?.onBody?.(body, hit.params, hit);
}

/** Lets every reply kind among `hits` change the reply, in plan order. */
export function applyReplyFaults(hits: readonly Hit[], reply: ReplyHooks): void {
  for (const hit of hits) specOf(hit)?.onReply?.(reply, hit.params, hit);
}

/** Tells each body kind among `hits` that there is no wire body to change (world.llm). */
export function noBody(hits: readonly Hit[], why: string): void {
  for (const hit of hits) if (isBodyKind(hit) && hit.kind !== 'empty') hit.noEffect(why);
}
