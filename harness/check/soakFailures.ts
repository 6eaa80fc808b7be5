// The distinct failures of a soak, by signature (./signature.ts): the first time a signature is
// found, its failure is kept with the batch seed, fast-check path and replay command that reach it;
// later finds only count (but one whose shrink was complete replaces one that was cut short).
// Every stall (a worker thread ended on a case that never yields) is one failure of its own, as a
// stuck run has no result to shrink or sign.

import { digest } from '../sim/digest.ts';
import type { RunCase } from './arbitraries.ts';
import type { Counterexample } from './checkScenario.ts';
import type { ShrinkCut } from './shrinkCut.ts';
import { signatureOf } from './signature.ts';

export interface SoakFailure {
  readonly signature: string;
  /** The properties that failed (none for a stall). */
  readonly failed: readonly string[];
  readonly message: string;
  /** The minimised fault plan (a stall's plan as drawn: a stuck run cannot be shrunk; see `shrinkCut`). */
  readonly plan: readonly unknown[];
  readonly schedule: unknown;
  /** The batch seed and fast-check path that reach it, and the command that replays it. */
  readonly seed: number;
  readonly path: string;
  readonly replay: string;
  /** How many batches found it. */
  readonly found: number;
  /**
   * Present when the shrink stopped before it was done (the soak's deadline came, or its reruns
   * that hit the wall-clock limit used up timeoutShrinkMs): the case (its plan and replay command)
   * still fails, but is not minimal; `message` says so, for the user.
   */
  readonly shrinkCut?: ShrinkCut;
  /**
   * True when a worker thread made no progress on the case (agent code that never yields) and was
   * ended. Its replay runs in the calling thread, where the watchdog stops the code and the run
   * ends `timeout`.
   */
  readonly stalled?: true;
}

/** What a batch found: the failure's signature, and whether no batch before had found it. */
export interface FoundFailure {
  readonly signature: string;
  readonly isNew: boolean;
}

export class SoakFailures {
  private readonly bySignature = new Map<string, SoakFailure>();

  constructor(
    private readonly scenario: string,
    private readonly agent: string | undefined,
    private readonly replay: (seed: number, path: string) => string,
  ) {}

  /** The distinct failures, in the order they were first found. */
  list(): SoakFailure[] {
    return [...this.bySignature.values()];
  }

  /** A minimised counterexample reached by `path` from batch seed `seed` (by a shrink that was cut short, with `cut`). */
  addFailure(c: Counterexample, seed: number, path: string, cut?: ShrinkCut): FoundFailure {
    const signature = signatureOf(this.scenario, this.agent, c.verdicts, c.result);
    return this.keep(signature, () => ({
      signature,
      failed: c.failed.map((v) => v.property),
      message: c.failed.map((v) => `${v.property}: ${v.message}`).join('\n'),
      plan: c.case.plan,
      schedule: c.case.schedule,
      seed,
      path,
      replay: this.replay(seed, path),
      found: 1,
      ...(cut === undefined ? {} : { shrinkCut: cut }),
    }));
  }

  /** A case a worker thread stalled on, reached by `path` from batch seed `seed`; `message` says where. */
  addStall(c: RunCase, seed: number, path: string, message: string): FoundFailure {
    const signature = digest({ v: 1, scenario: this.scenario, agent: this.agent ?? null, stalled: true });
    return this.keep(signature, () => ({
      signature,
      failed: [],
      message,
      plan: c.plan,
      schedule: c.schedule,
      seed,
      path,
      replay: this.replay(seed, path),
      found: 1,
      stalled: true,
    }));
  }

  private keep(signature: string, first: () => SoakFailure): FoundFailure {
    const seen = this.bySignature.get(signature);
    if (seen === undefined) this.bySignature.set(signature, first());
    else {
      // A failure whose shrink was cut short is replaced by a later, fully shrunk find of it.
      const later = seen.shrinkCut === undefined ? undefined : first();
      this.bySignature.set(
        signature,
        later !== undefined && later.shrinkCut === undefined ? { ...later, found: seen.found + 1 } : { ...seen, found: seen.found + 1 },
      );
    }
    return { signature, isNew: seen === undefined };
  }
}
