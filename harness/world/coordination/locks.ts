// Mutexes and semaphores for agents, built on the kernel's blocking primitive: acquiring is a
// scheduling point, waiters are served first come first served, and a waiter is an edge in the
// wait-for graph towards the current holders, so lock cycles are named as they form.
import type { Actor } from '../../sim/actors.ts';
import { block } from '../../sim/block.ts';
import { FaultlineError } from '../../sim/errors.ts';
import type { Kernel } from '../../sim/kernel.ts';

export interface AcquireOptions {
  /** Give up after this many virtual milliseconds (WaitTimeoutError); without it, wait forever. */
  readonly timeoutMs?: number;
}

interface Waiter {
  readonly actor: Actor;
  readonly wake: () => void;
  readonly done: () => boolean;
}

/** A counting semaphore; a mutex is a semaphore with one permit. */
export class Semaphore {
  private readonly holders: Actor[] = [];
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    readonly permits: number,
    private readonly noun: 'lock' | 'semaphore',
  ) {}

  /** Takes a permit for `actor`; resolves with the function that gives it back. */
  async acquire(actor: Actor, options: AcquireOptions = {}): Promise<() => void> {
    const free = this.holders.length < this.permits && this.waiters.every((w) => w.done());
    const waiting = block<void>(this.kernel, actor, {
      kind: this.noun,
      target: `${this.noun}:${this.name}`,
      what: `${this.noun} "${this.name}"`,
      holders: () => this.holders.filter((h) => h !== actor),
      timeoutMs: options.timeoutMs,
    });
    if (free) {
      this.holders.push(actor);
      waiting.wake();
    } else {
      this.waiters.push({ actor, wake: () => waiting.wake(), done: () => waiting.done });
    }
    await waiting.promise;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(actor);
    };
  }

  /** Runs `fn` holding a permit, and gives the permit back however `fn` ends. */
  async with<T>(actor: Actor, fn: () => Promise<T> | T, options?: AcquireOptions): Promise<T> {
    const release = await this.acquire(actor, options);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private release(actor: Actor): void {
    const i = this.holders.indexOf(actor);
    if (i < 0) {
      throw new FaultlineError('INVALID_OPTIONS', {
        what: `${actor.name} released ${this.noun} "${this.name}", which it does not hold`,
        where: this.kernel.where(actor),
        todo: 'Release a lock once, with the function acquire() returned',
      });
    }
    this.holders.splice(i, 1);
    // Hand the permit to the first waiter still waiting (one that timed out has left the queue).
    while (this.waiters.length > 0) {
      const next = this.waiters.shift() as Waiter;
      if (next.done()) continue;
      this.holders.push(next.actor);
      next.wake();
      // The new holder may close a cycle with actors waiting for what it holds.
      for (const waiter of this.waiters) if (!waiter.done()) this.kernel.checkDeadlock(waiter.actor);
      break;
    }
  }
}
