// Every run has a bound on virtual time, on steps and on wall-clock time, so that no run, however
// wrong the agent under test, can hang a test suite (STYLE.md: "put a limit on everything").

/** Hard limits on spend and work: crossing one ends the run at once with outcome `budget`. */
export interface Budget {
  /** Dollars of LLM spend. */
  readonly usd?: number;
  /** LLM tokens, input and output. */
  readonly tokens?: number;
  /**
   * LLM requests that reached a provider: every attempt, refused ones (429, 5xx, 400) included, as
   * a provider counts them. Billed calls are `spend.calls`; a retry storm of 429s bills nothing
   * and still crosses this bound.
   */
  readonly llmCalls?: number;
  /** Actors alive or dead in the run, main included. */
  readonly actors?: number;
  /** How deep actors may spawn actors (main is depth 0). */
  readonly spawnDepth?: number;
}

export interface Limits {
  /** Virtual milliseconds after which an unfinished run ends with outcome `timeout`. */
  readonly virtualTimeMs: number;
  /**
   * Kernel steps (a timer fired or a world event delivered) after which an unfinished run ends
   * with outcome `livelock`: it kept scheduling work without finishing.
   */
  readonly steps: number;
  /**
   * Once agent code has declared progress (world.progress), this many steps without another
   * declaration end the run as `livelock`: it is busy but getting nowhere.
   */
  readonly stallSteps: number;
  /**
   * Real milliseconds after which the run is abandoned with outcome `timeout`. This is the one
   * non-deterministic limit; it exists only so that a pathological agent cannot stall CI.
   */
  readonly wallClockMs: number;
  /** Spend and work limits; none by default. */
  readonly budget?: Budget;
}

export const defaultLimits: Limits = {
  virtualTimeMs: 24 * 60 * 60 * 1000,
  steps: 200_000,
  stallSteps: 10_000,
  wallClockMs: 10_000,
};

/** Fills in defaults and returns the problems with the result, as sentences. */
export function qualifyLimits(partial: Partial<Limits> | undefined): { limits: Limits; problems: string[] } {
  const limits: Limits = { ...defaultLimits, ...stripUndefined(partial ?? {}) };
  const problems: string[] = [];
  for (const [key, v] of Object.entries(limits.budget ?? {})) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`limits.budget.${key} must be a finite number >= 0, got ${JSON.stringify(v)}`);
  }
  for (const key of ['virtualTimeMs', 'steps', 'stallSteps', 'wallClockMs'] as const) {
    const v = limits[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      problems.push(`limits.${key} must be a finite number > 0, got ${JSON.stringify(v)}`);
    }
  }
  return { limits, problems };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
