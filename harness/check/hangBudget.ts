// How many reruns of a failure may hit the wall-clock limit while it is shrunk. A run of agent code
// that never yields ends only when the watchdog stops it, limits.wallClockMs (default 10 s) plus
// a second's grace after it started, and every shrink or minimisation rerun that still hangs costs
// that much again: ~24 of them took four minutes. The budget is given in time, `timeoutShrinkMs`
// (default 60 s), and spent in reruns: it allows timeoutShrinkMs / (limit + grace) of them (half
// as many under determinism checking, which runs a case twice), half to fast-check's shrink and
// half to the minimisation after it, each with a budget of its own, so that a replay of the case
// found (its path: no fast-check shrink) minimises it to the same case. Counted rather than timed,
// the same check shrinks to the same case, and reports it the same way, on any machine and worker
// count. Past it no rerun starts: fast-check's candidates pass unrun and minimisation keeps what it
// has, and the report says the shrink was cut (./shrinkCut.ts). Reruns that end in time cost nothing.
import type { RunResult } from '../options.ts';
import { GRACE_MS } from '../sim/guard.ts';
import { defaultLimits } from '../sim/limits.ts';
import type { WorldOptions } from './scenario.ts';

/** The time the reruns of a failure's shrink that hit the wall-clock limit may take, by default (real ms). */
export const DEFAULT_TIMEOUT_SHRINK_MS = 60_000;

export class HangBudget {
  /** Reruns that may hit the wall-clock limit (in one phase: fast-check's shrink, or the minimisation). */
  readonly allowed: number;
  /** Reruns that did. */
  private used = 0;
  /** True once a rerun was refused: the shrink was cut. */
  cut = false;

  constructor(
    readonly wallClockMs: number,
    readonly timeoutShrinkMs: number,
    determinism: boolean,
  ) {
    this.allowed = Math.max(1, Math.floor(timeoutShrinkMs / (2 * (wallClockMs + GRACE_MS) * (determinism ? 2 : 1))));
  }

  /** Whether a shrink rerun may start; once the allowed reruns hit the limit, no (and the shrink is cut). */
  allows(): boolean {
    if (this.used < this.allowed) return true;
    this.cut = true;
    return false;
  }

  /** Counts a rerun that hit the wall-clock limit. */
  spend(result: Pick<RunResult, 'outcome' | 'limit'>): void {
    if (result.outcome === 'timeout' && result.limit === 'wallClock') this.used++;
  }
}

/**
 * A fresh budget for one phase of shrinking a failure of `scenario` (fast-check's shrink, or the minimisation).
 * @param timeoutShrinkMs the option as given (default {@link DEFAULT_TIMEOUT_SHRINK_MS}).
 */
export function hangBudget(scenario: { readonly world?: WorldOptions }, determinism: boolean, timeoutShrinkMs = DEFAULT_TIMEOUT_SHRINK_MS): HangBudget {
  return new HangBudget(scenario.world?.limits?.wallClockMs ?? defaultLimits.wallClockMs, timeoutShrinkMs, determinism);
}
