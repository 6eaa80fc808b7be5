// Scheduling strategies: which of the events ready at the same virtual instant is delivered next.
// This is where two actors' store writes are put in one order or the other. Every choice among two
// or more ready events is recorded, so a run's interleaving is data: it can be replayed exactly and
// shrunk towards first-in-first-out like any other generated value.
import type { RandomStream } from './rng.ts';

export type StrategyOptions =
  /** Deliver in the order events became ready (the default). */
  | { readonly kind: 'fifo' }
  /** Deliver a uniformly random ready event. */
  | { readonly kind: 'random' }
  /**
   * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): actors get random
   * priorities, the highest-priority ready actor runs, and at `depth - 1` random change points the
   * running actor drops to the lowest priority. Finds a bug of depth d with probability at least
   * 1/(n·k^(d-1)) per run, for n actors and k steps (`steps`, the expected number of choices).
   */
  | { readonly kind: 'pct'; readonly depth: number; readonly steps?: number }
  /**
   * Replay recorded choices: each names the actor whose ready event goes next. Past their end, and
   * where a choice is '' or names an actor with nothing ready, the first ready event goes (as
   * first-in-first-out would). Naming actors rather than positions keeps every other choice's
   * meaning when one is dropped, which is what lets an interleaving shrink.
   */
  | { readonly kind: 'replay'; readonly choices: readonly string[] };

/** What a strategy sees of a ready event. */
export interface Candidate {
  readonly seq: number;
  readonly actor: string;
}

export interface Strategy {
  /** The index, in `ready` (length ≥ 2), of the event to deliver next. */
  pick(ready: readonly Candidate[]): number;
}

/** `stream` is called only by strategies that draw (random, PCT), so first-in-first-out costs nothing. */
export function createStrategy(options: StrategyOptions, streamOf: () => RandomStream): Strategy {
  switch (options.kind) {
    case 'fifo':
      return { pick: () => 0 };
    case 'random': {
      const stream = streamOf();
      return { pick: (ready) => stream.int(0, ready.length - 1) };
    }
    case 'replay': {
      let i = 0;
      return {
        pick: (ready) => {
          const choice = options.choices[i++] ?? '';
          const index = choice === '' ? 0 : ready.findIndex((e) => e.actor === choice);
          return Math.max(index, 0);
        },
      };
    }
    case 'pct':
      return new Pct(options.depth, options.steps ?? 64, streamOf());
  }
}

class Pct implements Strategy {
  private readonly priorities = new Map<string, number>();
  private readonly changePoints: number[];
  private step = 0;
  private lowest = 0;

  constructor(
    depth: number,
    steps: number,
    private readonly stream: RandomStream,
  ) {
    // d - 1 distinct change points in [1, steps].
    const points = new Set<number>();
    while (points.size < Math.min(depth - 1, steps)) points.add(stream.int(1, steps));
    this.changePoints = [...points].sort((a, b) => a - b);
  }

  pick(ready: readonly Candidate[]): number {
    this.step++;
    let best = this.highest(ready);
    if (this.changePoints[0] === this.step) {
      this.changePoints.shift();
      // A change point: the actor that was about to run drops below every other actor, so the
      // next-highest runs instead (a preemption at this exact step).
      this.priorities.set((ready[best] as Candidate).actor, --this.lowest);
      best = this.highest(ready);
    }
    return best;
  }

  private highest(ready: readonly Candidate[]): number {
    let best = 0;
    let bestPriority = -Infinity;
    ready.forEach((event, i) => {
      const p = this.priorityOf(event.actor);
      if (p > bestPriority) {
        best = i;
        bestPriority = p;
      }
    });
    return best;
  }

  /** Actors get a random priority when first seen; initial priorities are all above change-point ones. */
  private priorityOf(actor: string): number {
    let p = this.priorities.get(actor);
    if (p === undefined) {
      p = 1 + this.stream.next();
      this.priorities.set(actor, p);
    }
    return p;
  }
}

export function strategyProblems(options: StrategyOptions | undefined): string[] {
  if (options === undefined) return [];
  if (options.kind === 'pct') {
    const problems: string[] = [];
    if (!Number.isInteger(options.depth) || options.depth < 1) problems.push(`schedule.depth must be an integer >= 1, got ${options.depth}`);
    if (options.steps !== undefined && (!Number.isInteger(options.steps) || options.steps < 1))
      problems.push(`schedule.steps must be an integer >= 1, got ${options.steps}`);
    return problems;
  }
  if (options.kind === 'replay') {
    return options.choices.every((c) => typeof c === 'string') ? [] : ['schedule.choices must be actor names (or "" for first-in-first-out)'];
  }
  if (options.kind === 'fifo' || options.kind === 'random') return [];
  return [`schedule.kind must be "fifo", "random", "pct" or "replay", got ${JSON.stringify((options as { kind: unknown }).kind)}`];
}
