// Timers longer than a timer can be. Node (and fake-timers, which follows it) turns a delay over
// 2^31 - 1 ms (about 24.8 days) into 1 ms, so a 30-day sleep would end at once. Long delays are
// therefore set as a chain of timers, each at most the largest delay, re-armed until the due time.
import type { Clock } from '@sinonjs/fake-timers';

/** The largest delay a timer honours, in milliseconds. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer on `clock` that may be longer than MAX_TIMER_MS. */
export interface LongTimer {
  /** Stops the timer; `fn` will not be called. */
  clear(): void;
}

/**
 * Calls `onDue` once `delayMs` virtual milliseconds have passed (at least 0). `onHop` is called
 * instead at each intermediate hop of a long delay (the kernel counts those as its own timers).
 */
export function setLongTimeout(clock: Clock, delayMs: number, onDue: () => void, onHop?: () => void): LongTimer {
  const dueAt = clock.now + Math.max(0, delayMs);
  let id: unknown;
  const arm = (): void => {
    id = clock.setTimeout(
      () => {
        if (clock.now < dueAt) {
          onHop?.();
          arm();
          return;
        }
        onDue();
      },
      Math.min(MAX_TIMER_MS, dueAt - clock.now),
    );
  };
  arm();
  return { clear: () => clock.clearTimeout(id as number) };
}
