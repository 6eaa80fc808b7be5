// The spend ledger. Two things are counted apart:
// - attempts: every request that reached a provider, whatever came back (a 429, a 5xx, a 400, an
//   answer, nothing at all). Providers count these against a rate limit, and a retry storm is made
//   of them, so `limits.budget.llmCalls` and `boundedSpend({ llmCalls })` bound attempts.
// - billed calls: the attempts on which a model produced tokens (retries that reached the model
//   included, as providers bill them), with tokens and dollars.
// Totals are kept per actor and per model.

export interface SpendEntry {
  readonly t: number;
  readonly actor: string;
  readonly model: string;
  readonly span: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly usd: number;
}

/** One request that reached a provider. */
export interface AttemptEntry {
  readonly t: number;
  readonly actor: string;
  /** The model the request asked for. */
  readonly model: string;
  readonly span: number;
}

export interface SpendTotals {
  /** Requests that reached a provider, refused ones included. */
  readonly attempts: number;
  /** Billed calls: attempts on which a model produced tokens. */
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly usd: number;
}

export interface SpendSummary extends SpendTotals {
  readonly byActor: Readonly<Record<string, SpendTotals>>;
  readonly byModel: Readonly<Record<string, SpendTotals>>;
  readonly entries: readonly SpendEntry[];
}

const zero: SpendTotals = { attempts: 0, calls: 0, inputTokens: 0, outputTokens: 0, usd: 0 };

function bill(a: SpendTotals, e: SpendEntry): SpendTotals {
  return {
    attempts: a.attempts,
    calls: a.calls + 1,
    inputTokens: a.inputTokens + e.inputTokens,
    outputTokens: a.outputTokens + e.outputTokens,
    usd: Math.round((a.usd + e.usd) * 1e8) / 1e8,
  };
}

function attempt(a: SpendTotals): SpendTotals {
  return { ...a, attempts: a.attempts + 1 };
}

export class Ledger {
  readonly entries: SpendEntry[] = [];
  readonly attempts: AttemptEntry[] = [];
  private totals: SpendTotals = zero;
  private watcher: ((totals: SpendTotals, entry: { readonly actor: string }) => void) | undefined;

  /** Calls `watcher` after every attempt and every billed call, with the new totals (the run's budget check). */
  watch(watcher: (totals: SpendTotals, entry: { readonly actor: string }) => void): void {
    this.watcher = watcher;
  }

  /** A request reached a provider. */
  attempt(entry: AttemptEntry): void {
    this.attempts.push(entry);
    this.totals = attempt(this.totals);
    this.watcher?.(this.totals, entry);
  }

  /** A model produced tokens for an attempt. */
  record(entry: SpendEntry): void {
    this.entries.push(entry);
    this.totals = bill(this.totals, entry);
    this.watcher?.(this.totals, entry);
  }

  get total(): SpendTotals {
    return this.totals;
  }

  summary(): SpendSummary {
    const byActor: Record<string, SpendTotals> = {};
    const byModel: Record<string, SpendTotals> = {};
    for (const a of this.attempts) {
      byActor[a.actor] = attempt(byActor[a.actor] ?? zero);
      byModel[a.model] = attempt(byModel[a.model] ?? zero);
    }
    for (const e of this.entries) {
      byActor[e.actor] = bill(byActor[e.actor] ?? zero, e);
      byModel[e.model] = bill(byModel[e.model] ?? zero, e);
    }
    return { ...this.totals, byActor, byModel, entries: this.entries };
  }
}
