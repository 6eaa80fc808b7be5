// Mailboxes: every actor has one. `send` drops a message in a mailbox; `receive` takes the oldest
// message (from a given sender, optionally), waiting if there is none. A receive that names its
// sender is an edge in the wait-for graph, so two agents waiting on each other's replies are named
// as a deadlock cycle.
import type { Actor } from '../../sim/actors.ts';
import { type Blocked, block } from '../../sim/block.ts';
import type { Kernel } from '../../sim/kernel.ts';

export interface Envelope<T = unknown> {
  readonly from: string;
  readonly body: T;
}

export interface ReceiveOptions {
  /** Only a message from this actor. */
  readonly from?: string;
  readonly timeoutMs?: number;
}

interface Receiver {
  readonly from: string | undefined;
  readonly blocked: Blocked<Envelope>;
}

export class Mailboxes {
  private readonly queues = new Map<string, Envelope[]>();
  private readonly receivers = new Map<string, Receiver[]>();

  constructor(
    private readonly kernel: Kernel,
    private readonly actorNamed: (name: string) => Actor | undefined,
  ) {}

  send(from: Actor, to: string, body: unknown): void {
    this.kernel.assertLive(from, `send to ${to}`);
    this.kernel.trace.record({ type: 'mark', name: 'message', actor: from.name, data: { to } });
    const envelope: Envelope = { from: from.name, body };
    const waiting = (this.receivers.get(to) ?? []).find((r) => !r.blocked.done && (r.from === undefined || r.from === from.name));
    if (waiting !== undefined) {
      waiting.blocked.wake(envelope);
      return;
    }
    const queue = this.queues.get(to) ?? [];
    queue.push(envelope);
    this.queues.set(to, queue);
  }

  receive<T>(actor: Actor, options: ReceiveOptions = {}): Promise<Envelope<T>> {
    const { from } = options;
    const queue = this.queues.get(actor.name) ?? [];
    const index = queue.findIndex((m) => from === undefined || m.from === from);
    const blocked = block<Envelope>(this.kernel, actor, {
      kind: 'receive',
      target: `mailbox:${actor.name}`,
      what: from === undefined ? 'a message' : `a message from ${from}`,
      holders: () => {
        const sender = from === undefined ? undefined : this.actorNamed(from);
        return sender === undefined ? [] : [sender];
      },
      timeoutMs: options.timeoutMs,
    });
    if (index >= 0) {
      blocked.wake(queue.splice(index, 1)[0] as Envelope);
    } else {
      const receivers = (this.receivers.get(actor.name) ?? []).filter((r) => !r.blocked.done);
      receivers.push({ from, blocked });
      this.receivers.set(actor.name, receivers);
    }
    return blocked.promise as Promise<Envelope<T>>;
  }
}
