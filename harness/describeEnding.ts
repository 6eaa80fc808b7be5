// The sentence a run ends with: how it ended, where in virtual time, and what to do about it.
import { describeError, type Kernel } from './sim/kernel.ts';
import { describeWork } from './sim/realWork.ts';
import type { Ending } from './sim/runLoop.ts';

/** Ends a text with a full stop unless it already ends a sentence. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function wallClockSentence(ending: Extract<Ending<unknown>, { outcome: 'timeout' }>, wallClockMs: number, t: string): string {
  if (ending.stuck !== undefined) {
    return (
      `The watchdog stopped agent code of actor "${ending.stuck.actor}" that kept the CPU busy without yielding past the run's ` +
      `wall-clock limit (limits.wallClockMs = ${wallClockMs}), at virtual ${t}: a loop that never awaits, an endless chain of ` +
      `promises or process.nextTick callbacks. Make the loop await the world (world.sleep, a world call) or bound it.`
    );
  }
  if (ending.realWork !== undefined) {
    return (
      `The run waited ${wallClockMs}ms of real time (limits.wallClockMs), at virtual ${t}, for real work outside the world that ` +
      `did not finish: ${describeWork(ending.realWork)}. The run cannot go on while it is in flight (its result would depend ` +
      `on the machine's speed): finish or stop it, route it through the world, or unref a worker the run need not wait for.`
    );
  }
  return (
    `The run was abandoned after ${wallClockMs}ms of real time (limits.wallClockMs), at virtual ${t}. ` +
    `This is the one non-deterministic limit: look for agent code that keeps the CPU busy without awaiting the world.`
  );
}

export function describeEnding(ending: Ending<unknown>, kernel: Kernel): string {
  const t = `t=${kernel.now()}ms`;
  const { limits } = kernel;
  // Problems the agent may have swallowed (an SDK retrying an unhandled request, say) are named in
  // the message unless the agent's own error already is that problem.
  const first = kernel.problems[0];
  const echoed = ending.outcome === 'threw' && ending.error instanceof Error && ending.error.message === first?.message;
  const problems = first === undefined || echoed ? '' : ` The harness also saw ${kernel.problems.length} problem(s); the first: ${first.message}`;
  switch (ending.outcome) {
    case 'ok':
      return `The agent finished at ${t}.${problems}`;
    case 'threw':
      return `The agent threw at ${t}${ending.fromTimer === true ? ' (from a timer callback)' : ''}: ` + `${sentence(describeError(ending.error))}${problems}`;
    case 'deadlock':
      if (ending.cycle !== undefined) {
        return `Deadlock at ${t}: ${ending.cycle.sentence} (the cycle formed at t=${ending.cycle.formedAt}ms). Break the cycle, or give one of these waits a timeout.${problems}`;
      }
      return `Deadlock at ${t}: the agent has not finished and nothing is scheduled. ` + `${ending.blocked.map((b) => b.explanation).join('; ')}.${problems}`;
    case 'budget':
      return `The run went over budget at ${t} and was stopped: ${ending.reason}${problems}`;
    case 'crashed':
      return `The agent crashed at ${t} (${ending.reason}): it stopped where it was, and whatever it had not yet done stays undone.${problems}`;
    case 'timeout':
      return ending.limit === 'virtualTime'
        ? `The run reached its virtual time limit (limits.virtualTimeMs = ${limits.virtualTimeMs}) at ${t} ` +
            `without the agent finishing. Raise the limit if the agent legitimately needs longer.${problems}`
        : wallClockSentence(ending, limits.wallClockMs, t) + problems;
    case 'livelock':
      return ending.limit === 'steps'
        ? `The run took ${limits.steps} steps (limits.steps) without finishing, at ${t}: ` +
            `it keeps scheduling work without completing. Raise limits.steps if it legitimately needs more.${problems}`
        : `The run went ${limits.stallSteps} steps without declaring progress (limits.stallSteps), at ${t}: ` +
            `it is busy but getting nowhere (livelock).${problems}`;
  }
}
