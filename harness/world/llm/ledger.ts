// The spend ledger: one entry per LLM call that produced tokens (retries included: each attempt
// that reached the model is billed, as providers bill it), with totals per actor and per model.

export interface SpendEntry {
  readonly t: number;
  readonly actor: string;
  readonly model: string;
  readonly span: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly usd: number;
}

export interface SpendTotals {
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

const zero: SpendTotals = { calls: 0, inputTokens: 0, outputTokens: 0, usd: 0 };

function add(a: SpendTotals, e: SpendEntry): SpendTotals {
  return {
    calls: a.calls + 1,
    inputTokens: a.inputTokens + e.inputTokens,
    outputTokens: a.outputTokens + e.outputTokens,
    usd: Math.round((a.usd + e.usd) * 1e8) / 1e8,
  };
}

export class Ledger {
  readonly entries: SpendEntry[] = [];
  private totals: SpendTotals = zero;
  private watcher: ((totals: SpendTotals, entry: SpendEntry) => void) | undefined;

  /** Calls `watcher` after every entry, with the new totals (the run's budget check). */
  watch(watcher: (totals: SpendTotals, entry: SpendEntry) => void): void {
    this.watcher = watcher;
  }

  record(entry: SpendEntry): void {
    this.entries.push(entry);
    this.totals = add(this.totals, entry);
    this.watcher?.(this.totals, entry);
  }

  get total(): SpendTotals {
    return this.totals;
  }

  summary(): SpendSummary {
    const byActor: Record<string, SpendTotals> = {};
    const byModel: Record<string, SpendTotals> = {};
    for (const e of this.entries) {
      byActor[e.actor] = add(byActor[e.actor] ?? zero, e);
      byModel[e.model] = add(byModel[e.model] ?? zero, e);
    }
    return { ...this.totals, byActor, byModel, entries: this.entries };
  }
}
