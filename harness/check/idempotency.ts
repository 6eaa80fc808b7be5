// No duplicate effects: a write retried after a lost acknowledgement, or delivered twice by the
// network, must change a store once. Effects are what stores actually applied (ground truth only
// the simulator has), so this checker reads them rather than the client-side history.
//
// Two effects are duplicates when they are in the same store and either carry the same idempotency
// key, or carry none and were caused by the same op on the same entity (a duplicate delivery; one op
// may legitimately touch several entities). Judgement is by effect, not by count: an application
// that changed nothing (a redelivered delete of a key already gone, the same value written again)
// is recorded with `changed: false` and is not an effect. Reads and queries change nothing and are
// ignored. The optional history only names the process behind each op and supplies the `ops` indices.

import type { Effect, HistoryOp, Verdict, Violation } from './history.ts';
import { at, formatValue, listing } from './wording.ts';

const READ_ONLY = new Set(['read', 'query']);

/** Checks that no write was applied twice, by idempotency key or, without one, by causing op. */
export function checkIdempotent(effects: readonly Effect[], history: readonly HistoryOp[] = []): Verdict {
  const invokes = new Map<number, HistoryOp>();
  for (const h of history) if (h.type === 'invoke') invokes.set(h.op, h);
  const groups = new Map<string, Effect[]>();
  for (const effect of effects) {
    if (READ_ONLY.has(effect.f) || effect.changed === false) continue;
    const id =
      effect.idempotencyKey === undefined
        ? `op\u0000${effect.store}\u0000${effect.op}\u0000${effect.key}`
        : `key\u0000${effect.store}\u0000${effect.idempotencyKey}`;
    const group = groups.get(id) ?? [];
    group.push(effect);
    groups.set(id, group);
  }
  const violations: Violation[] = [];
  for (const group of groups.values()) if (group.length > 1) violations.push(duplicate(group, invokes));
  return { valid: violations.length === 0, violations };
}

function duplicate(group: readonly Effect[], invokes: ReadonlyMap<number, HistoryOp>): Violation {
  const first = group[0] as Effect;
  const times = group.length === 2 ? 'twice' : `${group.length} times`;
  const ops = [...new Set(group.map((e) => e.op))];
  let message: string;
  if (first.idempotencyKey !== undefined) {
    const each = group.map((e) => `by op ${e.op} (${cause(e, invokes)}) at ${at(e.t)}`);
    message = `Duplicate effect in store ${first.store}: idempotency key ${JSON.stringify(first.idempotencyKey)} was applied ${times} — ${listing(each)}.`;
  } else {
    const when = listing(group.map((e) => at(e.t)));
    message =
      `Duplicate effect in store ${first.store}: op ${first.op} (${cause(first, invokes)}) was applied ${times}, at ${when}, ` +
      'although it carries no idempotency key to deduplicate a redelivery.';
  }
  const indices = ops.map((op) => invokes.get(op)?.index).filter((i): i is number => i !== undefined);
  return { message, ops: indices.sort((x, y) => x - y), key: first.key };
}

/** `planner's write of 100 to charge:9`, or `write of 100 to charge:9` without a history. */
function cause(effect: Effect, invokes: ReadonlyMap<number, HistoryOp>): string {
  const invoke = invokes.get(effect.op);
  const who = invoke === undefined ? '' : `${invoke.process}'s `;
  const to = effect.key === '' ? '' : ` to ${effect.key}`;
  return `${who}${effect.f} of ${formatValue(effect.value)}${to}`;
}
