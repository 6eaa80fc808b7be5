// The reply hooks (harness/faults/hooks.ts) over what a simulated model produced: reply faults
// (empty, malformed, corrupt) change it through them, before any adapter renders it. A corrupted
// fact is recorded as a `taint` mark here, where it happens.
import { corrupt, seededFaker } from '../../faults/corrupt.ts';
import type { ReplyHooks, ReplyToolCall } from '../../faults/hooks.ts';
import type { Kernel } from '../../sim/kernel.ts';
import type { RandomStream } from '../../sim/rng.ts';
import type { ProducedReply, ToolCall } from './conversation.ts';

export class ReplyEditor implements ReplyHooks {
  private current: ProducedReply;

  constructor(
    initial: ProducedReply,
    readonly api: string,
    readonly streamed: boolean,
    private readonly taint: { kernel: Kernel; actor: string; span: number; stream: () => RandomStream },
  ) {
    this.current = initial;
  }

  get reply(): ProducedReply {
    return this.current;
  }

  get text(): string {
    return this.current.text;
  }

  get toolCalls(): readonly ReplyToolCall[] {
    return this.current.toolCalls;
  }

  get stopReason(): ProducedReply['stopReason'] {
    return this.current.stopReason;
  }

  setText(text: string): void {
    this.current = { ...this.current, text };
  }

  setArguments(index: number, rawArguments: string, parsed: unknown): void {
    const toolCalls = this.current.toolCalls.map((c, i): ToolCall => {
      if (i !== index) return c;
      const { argumentsNull: _dropped, ...rest } = c;
      // `null` on the wire is carried as a flag: rawArguments stays a string everywhere else.
      return rawArguments === 'null' && parsed === null
        ? { ...rest, rawArguments: '', arguments: null, argumentsNull: true }
        : { ...rest, rawArguments, arguments: parsed };
    });
    this.current = { ...this.current, toolCalls };
  }

  clear(): void {
    this.current = { text: '', toolCalls: [], stopReason: 'stop' };
  }

  setStopReason(reason: 'stop' | 'tool_calls' | 'length' | 'malformed_call'): void {
    this.current = { ...this.current, stopReason: reason };
  }

  corrupt(fact: 'number' | 'date' | 'name' | 'boolean' | 'any', rule: string): { where: string; path: string } | undefined {
    const stream = this.taint.stream();
    const faker = () => seededFaker(stream);
    const calls = this.current.toolCalls;
    const index = calls.findIndex((c) => c.arguments !== undefined && corrupt(c.arguments, fact, stream, faker) !== undefined);
    const call = calls[index];
    const changed = call !== undefined ? corrupt(call.arguments, fact, stream, faker) : corrupt(this.current.text, fact, stream, faker);
    if (changed === undefined) return undefined;
    const where = call === undefined ? 'text' : `tool:${call.name}`;
    const { kernel, actor, span } = this.taint;
    kernel.trace.record({ type: 'mark', name: 'taint', actor, span, data: { rule, target: 'llm', where, ...changed.taint } });
    if (call === undefined) this.setText(changed.value as string);
    else this.setArguments(index, JSON.stringify(changed.value), changed.value);
    return { where, path: changed.taint.path };
  }
}
