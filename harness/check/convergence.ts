// Cross-store convergence after the heal phase: once faults stop, every store that should hold an
// entity must hold its latest version, unless an outbox still records the write that will bring it
// there. The input is the stores' final state, so this checker needs no history.
//
// Precisely, for each entity held by any store:
// - the stores that must hold it are `expectStores[entity]` when given, otherwise every store in
//   the snapshot (a store listed in `expectStores` but absent from the snapshot counts as empty);
// - its latest version is the highest version any store holds (expected or not: a newer version
//   anywhere means a write the expected stores have not seen);
// - an expected store that lacks it or holds an older version is a violation, unless `pending` has
//   an entry for that store and entity at the latest version or newer;
// - expected stores that hold the same version with different values (both given) have diverged.
// A store outside an entity's expected stores may hold any version of it (a cache, an archive).
import { canonicalJson } from '../sim/canonicalJson.ts';
import type { Verdict, Violation } from './history.ts';
import { formatValue, listing } from './wording.ts';

export interface EntityState {
  readonly version: number;
  readonly value?: unknown;
  /** A log's own entry (`<topic>#<offset>`), not an entity other stores hold. */
  readonly entry?: true;
}

/** storeName → entityKey → the entity's final state in that store. */
export type StoresSnapshot = Readonly<Record<string, Readonly<Record<string, EntityState>>>>;

/** A write an outbox recorded as still to be applied. */
export interface PendingWrite {
  readonly store: string;
  readonly key: string;
  readonly version: number;
}

export interface ConvergenceOptions {
  readonly pending?: readonly PendingWrite[];
  /** entityKey → the stores that must hold it; entities not listed must be in every store. */
  readonly expectStores?: Readonly<Record<string, readonly string[]>>;
}

/** Checks that the stores agree on the latest version of every entity, outbox aside. */
export function checkConvergence(snapshot: StoresSnapshot, options: ConvergenceOptions = {}): Verdict {
  const stores = Object.keys(snapshot);
  const pending = pendingVersions(options.pending ?? []);
  const violations: Violation[] = [];
  for (const key of entityKeys(snapshot)) {
    const expected = options.expectStores?.[key] ?? stores;
    let latest = -Infinity;
    for (const store of stores) latest = Math.max(latest, snapshot[store]?.[key]?.version ?? -Infinity);
    const lagging = laggingStores(snapshot, key, expected, latest, pending);
    if (lagging.length > 0) violations.push(notConverged(snapshot, key, stores, latest, lagging));
    const diverged = divergedStores(snapshot, key, expected, latest);
    if (diverged !== undefined) violations.push(diverged);
  }
  return { valid: violations.length === 0, violations };
}

function pendingVersions(pending: readonly PendingWrite[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of pending) {
    const id = `${p.store}\u0000${p.key}`;
    out.set(id, Math.max(out.get(id) ?? -Infinity, p.version));
  }
  return out;
}

/** The entities the stores hold: log entries (`entry`) are a log's own records, not entities. */
function entityKeys(snapshot: StoresSnapshot): string[] {
  const keys = new Set<string>();
  for (const entities of Object.values(snapshot)) for (const [key, state] of Object.entries(entities)) if (state.entry !== true) keys.add(key);
  return [...keys];
}

interface Lagging {
  readonly store: string;
  readonly version: number | undefined;
  readonly pendingVersion: number | undefined;
}

function laggingStores(snapshot: StoresSnapshot, key: string, expected: readonly string[], latest: number, pending: Map<string, number>): Lagging[] {
  const out: Lagging[] = [];
  for (const store of expected) {
    const version = snapshot[store]?.[key]?.version;
    if (version !== undefined && version >= latest) continue;
    const pendingVersion = pending.get(`${store}\u0000${key}`);
    if (pendingVersion !== undefined && pendingVersion >= latest) continue;
    out.push({ store, version, pendingVersion });
  }
  return out;
}

function notConverged(snapshot: StoresSnapshot, key: string, stores: readonly string[], latest: number, lagging: readonly Lagging[]): Violation {
  const holders = stores.filter((store) => snapshot[store]?.[key]?.version === latest);
  const states = lagging.map(({ store, version, pendingVersion }) => {
    const state = version === undefined ? `${store} lacks it` : `${store} holds version ${version}`;
    return pendingVersion === undefined ? state : `${state} (its outbox entry only reaches version ${pendingVersion})`;
  });
  const them = lagging.length === 1 ? (lagging[0] as Lagging).store : 'them';
  return {
    message:
      `${key} has not converged: ${listing(holders)} ${holders.length === 1 ? 'holds' : 'hold'} version ${latest}, but ` +
      `${listing(states)}, and no pending outbox entry brings ${them} to version ${latest}.`,
    ops: [],
    key,
  };
}

/** Expected stores holding the latest version with different values, or undefined when they agree. */
function divergedStores(snapshot: StoresSnapshot, key: string, expected: readonly string[], latest: number): Violation | undefined {
  const byValue = new Map<string, { value: unknown; stores: string[] }>();
  for (const store of expected) {
    const state = snapshot[store]?.[key];
    if (state === undefined || state.version !== latest || state.value === undefined) continue;
    const text = canonicalJson(state.value);
    const group = byValue.get(text) ?? { value: state.value, stores: [] };
    group.stores.push(store);
    byValue.set(text, group);
  }
  if (byValue.size < 2) return undefined;
  const variants = [...byValue.values()].map(({ value, stores }) => `${listing(stores)} ${stores.length === 1 ? 'has' : 'have'} ${formatValue(value)}`);
  return {
    message: `${key} has diverged: its stores hold version ${latest} with different values — ${listing(variants)}.`,
    ops: [],
    key,
  };
}
