// Bounded channels: a queue between actors with a capacity. A full channel makes senders wait and
// an empty one makes receivers wait, which is backpressure; the deepest the queue got is recorded,
// so a property can check that work never piled up past a bound.
import type { Actor } from '../../sim/actors.ts';
import { type Blocked, block } from '../../sim/block.ts';
import type { Kernel } from '../../sim/kernel.ts';

export interface ChannelOptions {
  /** How many items the channel holds before senders wait (default: unbounded). */
  readonly capacity?: number;
}

export class Channel<T = unknown> {
  private readonly items: T[] = [];
  private readonly receivers: Array<Blocked<T>> = [];
  private readonly senders: Array<{ blocked: Blocked<void>; item: T }> = [];
  /** The most items the channel ever held at once. */
  maxDepth = 0;

  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    readonly capacity: number,
  ) {}

  get depth(): number {
    return this.items.length;
  }

  async send(actor: Actor, item: T, options: { timeoutMs?: number } = {}): Promise<void> {
    const blocked = block<void>(this.kernel, actor, {
      kind: 'send',
      target: `channel:${this.name}`,
      what: `room in channel "${this.name}"`,
      timeoutMs: options.timeoutMs,
    });
    if (this.deliver(item)) {
      blocked.wake();
    } else if (this.items.length < this.capacity) {
      this.push(item);
      blocked.wake();
    } else {
      this.senders.push({ blocked, item });
    }
    return blocked.promise;
  }

  receive(actor: Actor, options: { timeoutMs?: number } = {}): Promise<T> {
    const blocked = block<T>(this.kernel, actor, {
      kind: 'receive',
      target: `channel:${this.name}`,
      what: `an item from channel "${this.name}"`,
      timeoutMs: options.timeoutMs,
    });
    if (this.items.length > 0) {
      blocked.wake(this.items.shift() as T);
      this.admitSender();
    } else {
      this.receivers.push(blocked);
    }
    return blocked.promise;
  }

  /** Hands `item` to a waiting receiver, if any. */
  private deliver(item: T): boolean {
    while (this.receivers.length > 0) {
      const receiver = this.receivers.shift() as Blocked<T>;
      if (receiver.done) continue;
      receiver.wake(item);
      return true;
    }
    return false;
  }

  private push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.maxDepth) {
      this.maxDepth = this.items.length;
      this.kernel.trace.record({ type: 'mark', name: 'queue.depth', data: { channel: this.name, depth: this.maxDepth } });
    }
  }

  /** Room was made: the first waiting sender's item goes in. */
  private admitSender(): void {
    while (this.senders.length > 0) {
      const sender = this.senders.shift() as { blocked: Blocked<void>; item: T };
      if (sender.blocked.done) continue;
      this.push(sender.item);
      sender.blocked.wake();
      return;
    }
  }
}
