// A shrink that stopped before it was done. A soak's deadline can come while it shrinks a failure
// (a shrink candidate that would start after the deadline is not run); and a failure whose reruns
// hit the wall-clock limit (agent code that never yields) costs that limit per rerun, so its
// shrink stops once such reruns have used up `timeoutShrinkMs` (./hangBudget.ts). Either way the
// case reported still fails, and its replay command still reaches it, but it is not known to be
// minimal: every place that shows the case says so, and why, rather than call it minimal.

export interface ShrinkCut {
  /** Why the shrink stopped: `deadline`, the soak's time ran out; `hangs`, reruns that hit the wall-clock limit used up timeoutShrinkMs. */
  readonly reason: 'deadline' | 'hangs';
  /** Shrink steps (smaller failing cases found) made before it stopped. */
  readonly steps: number;
  /** The sentence to show beside the case, e.g. "shrink stopped at the soak's deadline after 3 steps; the case shown fails but is not minimal". */
  readonly message: string;
}

const stepsText = (steps: number) => `${steps} step${steps === 1 ? '' : 's'}`;

/** The cut of a soak's shrink that met its deadline after `steps` steps. */
export function cutAtDeadline(steps: number): ShrinkCut {
  return { reason: 'deadline', steps, message: `shrink stopped at the soak's deadline after ${stepsText(steps)}; the case shown fails but is not minimal` };
}

/** The cut of a shrink whose reruns hit the wall-clock limit as often as `budget` allows (./hangBudget.ts). */
export function cutByHangs(steps: number, budget: { readonly allowed: number; readonly wallClockMs: number; readonly timeoutShrinkMs: number }): ShrinkCut {
  const reruns = `${budget.allowed} such rerun${budget.allowed === 1 ? '' : 's'}`;
  return {
    reason: 'hangs',
    steps,
    message:
      `shrink stopped after ${stepsText(steps)}: each rerun of this failure waits out the wall-clock limit (limits.wallClockMs = ${budget.wallClockMs}, ` +
      `plus up to 1 s for the watchdog), and timeoutShrinkMs = ${budget.timeoutShrinkMs} allows ${reruns} to the shrink and ${budget.allowed} to the minimisation; ` +
      'the case shown fails but is not minimal',
  };
}
