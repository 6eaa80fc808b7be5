// Goal: after the heal phase, checkConvergence accepts stores that agree on every entity's latest
// version (or have an outbox entry that will get them there) and names each store that lags, lacks
// an entity or diverged. Method: hand-written snapshots.
import { describe, expect, it } from 'vitest';
import { checkConvergence } from '../../harness/check/index.ts';

describe('checkConvergence', () => {
  it('accepts stores that hold the same latest version of every entity', () => {
    const snapshot = {
      crm: { 'order:7': { version: 3, value: { status: 'paid' } }, 'order:8': { version: 1 } },
      warehouse: { 'order:7': { version: 3, value: { status: 'paid' } }, 'order:8': { version: 1 } },
    };
    expect(checkConvergence(snapshot)).toEqual({ valid: true, violations: [] });
  });

  it('rejects a store that lags or lacks an entity, naming each store', () => {
    const snapshot = {
      crm: { 'order:7': { version: 3 } },
      warehouse: { 'order:7': { version: 2 } },
      search: {},
    };
    expect(checkConvergence(snapshot)).toEqual({
      valid: false,
      violations: [
        {
          message:
            'order:7 has not converged: crm holds version 3, but warehouse holds version 2 and search lacks it, and no pending outbox entry brings them to version 3.',
          ops: [],
          key: 'order:7',
        },
      ],
    });
  });

  it('accepts a lag that a pending outbox entry covers, but not one the outbox only partly covers', () => {
    const snapshot = { crm: { 'order:7': { version: 3 } }, warehouse: { 'order:7': { version: 1 } } };
    expect(checkConvergence(snapshot, { pending: [{ store: 'warehouse', key: 'order:7', version: 3 }] }).valid).toBe(true);
    expect(checkConvergence(snapshot, { pending: [{ store: 'warehouse', key: 'order:7', version: 2 }] }).violations.map((v) => v.message)).toEqual([
      'order:7 has not converged: crm holds version 3, but warehouse holds version 1 (its outbox entry only reaches version 2), and no pending outbox entry brings warehouse to version 3.',
    ]);
  });

  it('checks only the stores an entity is expected in', () => {
    const snapshot = { crm: { 'order:7': { version: 3 }, 'lead:1': { version: 1 } }, warehouse: { 'order:7': { version: 3 } } };
    expect(checkConvergence(snapshot, { expectStores: { 'lead:1': ['crm'] } }).valid).toBe(true);
    expect(checkConvergence(snapshot).violations.map((v) => v.key)).toEqual(['lead:1']);
    expect(
      checkConvergence(snapshot, {
        expectStores: { 'order:7': ['crm', 'warehouse', 'ledger'] },
        pending: [{ store: 'warehouse', key: 'lead:1', version: 1 }],
      }).violations.map((v) => v.message),
    ).toEqual(['order:7 has not converged: crm and warehouse hold version 3, but ledger lacks it, and no pending outbox entry brings ledger to version 3.']);
  });

  it('rejects stores that hold the latest version with different values', () => {
    const snapshot = {
      crm: { 'order:7': { version: 3, value: { status: 'paid' } } },
      warehouse: { 'order:7': { version: 3, value: { status: 'open' } } },
      search: { 'order:7': { version: 3, value: { status: 'paid' } } },
    };
    expect(checkConvergence(snapshot).violations.map((v) => v.message)).toEqual([
      'order:7 has diverged: its stores hold version 3 with different values — crm and search have status "paid" and warehouse has status "open".',
    ]);
  });
});
