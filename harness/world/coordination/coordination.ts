// The coordination primitives of one run, shared by every actor's view of the world: named mutexes,
// semaphores and channels, every actor's mailbox, and joining another actor.
import type { Actor } from '../../sim/actors.ts';
import { block } from '../../sim/block.ts';
import { FaultlineError } from '../../sim/errors.ts';
import type { Kernel } from '../../sim/kernel.ts';
import { Channel } from './channel.ts';
import { Semaphore } from './locks.ts';
import { Mailboxes } from './mailboxes.ts';

export class Coordination {
  private readonly semaphores = new Map<string, Semaphore>();
  private readonly channels = new Map<string, Channel>();
  readonly mailboxes: Mailboxes;

  constructor(private readonly kernel: Kernel) {
    this.mailboxes = new Mailboxes(kernel, (name) => kernel.actorNamed(name));
  }

  mutex(name: string): Semaphore {
    return this.semaphore(name, 1, 'lock');
  }

  semaphore(name: string, permits: number, noun: 'lock' | 'semaphore' = 'semaphore'): Semaphore {
    const existing = this.semaphores.get(name);
    if (existing !== undefined) {
      if (existing.permits !== permits) {
        throw new FaultlineError('INVALID_OPTIONS', {
          what: `"${name}" is already a ${existing.permits === 1 ? 'mutex' : `semaphore of ${existing.permits} permits`}, and was asked for again with ${permits}`,
          todo: 'Give each lock one name and one size',
        });
      }
      return existing;
    }
    const made = new Semaphore(this.kernel, name, permits, noun);
    this.semaphores.set(name, made);
    return made;
  }

  channel<T>(name: string, capacity: number): Channel<T> {
    let made = this.channels.get(name);
    if (made === undefined) {
      made = new Channel<unknown>(this.kernel, name, capacity);
      this.channels.set(name, made);
    }
    return made as Channel<T>;
  }

  /** Every channel's deepest queue, for properties about bounded work. */
  queueDepths(): Record<string, number> {
    return Object.fromEntries([...this.channels].map(([name, c]) => [name, c.maxDepth]));
  }

  /** Waits for actor `name` to finish and returns its result (or throws what it threw). */
  async join<T>(actor: Actor, name: string, options: { timeoutMs?: number } = {}): Promise<T> {
    const target = this.kernel.actorNamed(name);
    if (target === undefined) {
      throw new FaultlineError('INVALID_OPTIONS', {
        what: `join: there is no actor "${name}"`,
        where: this.kernel.where(actor),
        todo: 'Join an actor by the name world.spawn gave it',
      });
    }
    const blocked = block<void>(this.kernel, actor, {
      kind: 'join',
      target: `actor:${name}`,
      what: `actor ${name} to finish${target.state === 'crashed' ? ' (it crashed)' : ''}`,
      holders: () => [target],
      timeoutMs: options.timeoutMs,
    });
    void target.completion.then(
      () => blocked.wake(),
      () => blocked.wake(),
    );
    await blocked.promise;
    return (await target.completion) as T;
  }
}
