// A shrink that stopped before it was done. A soak's deadline can come while it shrinks a failure
// (a shrink candidate that would start after the deadline is not run), and then the case it
// reports still fails, and its replay command still reaches it, but it is not known to be minimal:
// every place that shows the case says so, and why, rather than call it minimal.

export interface ShrinkCut {
  /** Why the shrink stopped: `deadline`, the soak's time ran out. */
  readonly reason: 'deadline';
  /** Shrink steps (smaller failing cases found) made before it stopped. */
  readonly steps: number;
  /** The sentence to show beside the case, e.g. "shrink stopped at the deadline after 3 steps; the case shown is not minimal". */
  readonly message: string;
}

/** The cut of a soak's shrink that met its deadline after `steps` steps. */
export function cutAtDeadline(steps: number): ShrinkCut {
  return {
    reason: 'deadline',
    steps,
    message: `shrink stopped at the soak's deadline after ${steps} step${steps === 1 ? '' : 's'}; the case shown fails but is not minimal`,
  };
}
