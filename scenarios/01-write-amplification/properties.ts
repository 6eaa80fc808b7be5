// A property the shipped checkers do not state: an append-only store holds each record once. The
// shipped idempotency check groups effects by idempotency key or by causing operation, so a write
// retried as a *new* operation without a key (the classic retry after a lost acknowledgement) is
// invisible to it; in an event log or an audit trail that retry is a second entry.
import { canonicalJson, type Effect, type Property, property } from '../../harness/index.ts';

export function noDuplicateAppends(stores: readonly string[]): Property {
  return property('noDuplicateAppends', `Every record in ${stores.join(' and ')} was appended once.`, (r) => {
    const seen = new Map<string, Effect>();
    for (const effect of r.effects) {
      if (effect.f !== 'append' || !stores.includes(effect.store)) continue;
      const id = `${effect.store}\u0000${effect.key}\u0000${canonicalJson(effect.value)}`;
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, effect);
        continue;
      }
      const how = first.op === effect.op ? 'one write delivered twice' : `a retry (op ${effect.op}) of op ${first.op} that carried no idempotency key`;
      return {
        message: `Store ${effect.store} holds ${canonicalJson(effect.value)} twice, appended at t=${first.t}ms and t=${effect.t}ms: ${how}.`,
        ops: r.history.filter((h) => h.type === 'invoke' && (h.op === first.op || h.op === effect.op)).map((h) => h.index),
      };
    }
    return undefined;
  });
}
