// Properties about shared state: no lost updates, linearizable registers, stores that agree with
// each other (now, or after the heal phase), and no duplicate effects from retried writes.
import type { RunResult } from '../../options.ts';
import { checkConvergence, type PendingWrite, type StoresSnapshot } from '../convergence.ts';
import type { Verdict } from '../history.ts';
import { checkIdempotent } from '../idempotency.ts';
import { checkLinearizable } from '../linearizable.ts';
import { checkLostUpdates } from '../lostUpdates.ts';
import { type Property, type PropertyVerdict, property } from './property.ts';

function fromChecker(name: string, _held: string, verdict: Verdict): Omit<PropertyVerdict, 'property' | 'ok'> | undefined {
  if (verdict.valid) return undefined;
  const first = verdict.violations[0];
  const more = verdict.violations.length > 1 ? ` (and ${verdict.violations.length - 1} more)` : '';
  return { message: `${first?.message ?? `${name} does not hold.`}${more}`, ops: verdict.violations.flatMap((v) => v.ops) };
}

/** The history checkers have nothing to judge in a run that made no store operations. */
const noHistory = (r: RunResult): string | undefined => (r.history.length === 0 ? 'no store operations' : undefined);

/** Nothing to compare: no compared store holds an entity. */
function noEntities(r: RunResult, options: ConsistencyOptions): string | undefined {
  const { snapshot } = entityStates(r, options);
  return Object.values(snapshot).some((entities) => Object.keys(entities).length > 0) ? undefined : 'no compared store held an entity';
}

/** Every acknowledged write is reflected: no read-modify-write cycle overwrote another's update. */
export function noLostUpdates(): Property {
  const held = 'No update was lost.';
  return property('noLostUpdates', held, (r) => fromChecker('noLostUpdates', held, checkLostUpdates(r.history)), { vacuousWhen: noHistory });
}

/** The store history is linearizable, key by key. */
export function linearizable(options: { readonly maxStatesPerPartition?: number } = {}): Property {
  const held = 'The store history is linearizable.';
  return property(
    'linearizable',
    held,
    (r) => {
      const verdict = checkLinearizable(r.history, options);
      if (verdict.outcome === 'unknown') return { message: verdict.unknown.map((u) => u.message).join(' ') };
      return fromChecker('linearizable', held, verdict);
    },
    { vacuousWhen: noHistory },
  );
}

export interface ConsistencyOptions {
  /** The stores to compare (default: every store but the outbox). */
  readonly stores?: readonly string[];
  /** A key-value store whose entries `{ store, key, version }` are writes still to be applied. */
  readonly outbox?: string;
  /** entity → the stores that must hold it (default: every compared store). */
  readonly expectStores?: Readonly<Record<string, readonly string[]>>;
  /** The entity version a stored value carries (default: its `version`, or `metadata.version`). */
  readonly versionOf?: (value: unknown, storeVersion: number) => number;
  /** The entity a store key names (default: the part after the last `/`, so `memories/pref:1` is `pref:1`). */
  readonly entityOf?: (store: string, key: string) => string;
}

const defaultVersionOf = (value: unknown, storeVersion: number): number => {
  const v = value as { version?: unknown; metadata?: { version?: unknown } } | undefined;
  if (typeof v?.version === 'number') return v.version;
  if (typeof v?.metadata?.version === 'number') return v.metadata.version;
  return storeVersion;
};

/** The stores' final states, by entity version, and the outbox's pending writes. */
function entityStates(r: RunResult, options: ConsistencyOptions): { snapshot: StoresSnapshot; pending: PendingWrite[] } {
  const outbox = options.outbox ?? 'outbox';
  const versionOf = options.versionOf ?? defaultVersionOf;
  const entityOf = options.entityOf ?? ((_store: string, key: string) => key.slice(key.lastIndexOf('/') + 1));
  const names = options.stores ?? Object.keys(r.stores).filter((n) => n !== outbox);
  const snapshot: Record<string, Record<string, { version: number; value?: unknown }>> = {};
  for (const name of names) {
    const entries = r.stores[name] ?? {};
    // A log's own entries (`entry`) are its records, not entities the other stores must hold.
    const entities = Object.entries(entries).filter(([, e]) => e.entry !== true);
    snapshot[name] = Object.fromEntries(entities.map(([key, e]) => [entityOf(name, key), { version: versionOf(e.value, e.version) }]));
  }
  // An outbox entry holds one pending write, or a list of them.
  const pending = Object.values(r.stores[outbox] ?? {})
    .flatMap((e) => (Array.isArray(e.value) ? (e.value as unknown[]) : [e.value]))
    .map((p) => p as Partial<PendingWrite> | undefined)
    .filter((p): p is PendingWrite => typeof p?.store === 'string' && typeof p.key === 'string' && typeof p.version === 'number')
    .map((p) => ({ ...p, key: entityOf(p.store, p.key) }));
  return { snapshot, pending };
}

function consistency(r: RunResult, options: ConsistencyOptions): Omit<PropertyVerdict, 'property' | 'ok'> | undefined {
  const { snapshot, pending } = entityStates(r, options);
  const converged = checkConvergence(snapshot, { pending, ...(options.expectStores === undefined ? {} : { expectStores: options.expectStores }) });
  return fromChecker('consistentStores', '', converged) ?? fromChecker('consistentStores', '', checkIdempotent(r.effects, r.history));
}

/**
 * The stores agree on every entity's latest version at the end of the run, or the difference is
 * recorded as pending in the outbox; and no retried write took effect twice.
 */
export function consistentStores(options: ConsistencyOptions = {}): Property {
  return property('consistentStores', 'The stores agree on every entity (outbox aside), with no duplicate effects.', (r) => consistency(r, options), {
    vacuousWhen: (r) => noEntities(r, options),
  });
}

/** After the chaos, the heal phase made the stores converge. */
export function eventuallyConverges(options: ConsistencyOptions = {}): Property {
  return property(
    'eventuallyConverges',
    'After the heal phase the stores converged.',
    (r) => {
      if (r.heal === undefined) return { message: 'The run had no heal phase to converge in; give the scenario a heal agent.' };
      if (r.heal.outcome !== 'ok') return { message: `The heal phase did not finish: ${r.heal.message}` };
      return consistency(r, options);
    },
    { vacuousWhen: (r) => noEntities(r, options) },
  );
}
