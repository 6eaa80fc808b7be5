// The simulated LLM service behind every wire adapter. An adapter parses its wire format into a
// Conversation and asks `respond`; the service applies the fault plan at the `llm:<model>` yield
// point, resolves the model (alias, version skew), asks the brain, counts tokens, bills the call
// and waits the generation time in virtual time. The adapter renders the outcome in its wire format.

import { corrupt, seededFaker } from '../../faults/corrupt.ts';
import { type FaultInjector, firstOf, type Hit } from '../../faults/injector.ts';
import { type FaultKind, kindsByLayer } from '../../faults/plan.ts';
import type { Actor } from '../../sim/actors.ts';
import { digest } from '../../sim/digest.ts';
import { FaultlineError } from '../../sim/errors.ts';
import type { Kernel } from '../../sim/kernel.ts';
import { type LatencyModel, sampleLatency } from '../../sim/latency.ts';
import type { RandomStream } from '../../sim/rng.ts';
import { retryAfterHeaders } from '../httpFaults.ts';
import type { StreamPlan } from '../virtualStream.ts';
import type { Brain } from './brains.ts';
import type { ApiName, Conversation, ProducedReply, Reply, ToolCall } from './conversation.ts';
import type { Ledger } from './ledger.ts';
import { dollars, type PriceTable, priceOf } from './pricing.ts';
import { completionTokens, encoding, promptTokens } from './tokens.ts';

export interface ModelConfig {
  readonly brain: Brain;
  /** The dated version the name resolves to, reported in responses' `model` field (default: the name). */
  readonly version?: string;
  /** Other versions the name can move to; a `version-skew` fault names one of them. */
  readonly versions?: Readonly<Record<string, Brain>>;
}

export interface GenerationTiming {
  /** Time to the first token. */
  readonly firstTokenMs: LatencyModel;
  /** Time per further output token. */
  readonly perTokenMs: number;
}

export interface LlmCall {
  readonly api: ApiName;
  readonly conversation: Conversation;
  readonly stream: boolean;
  readonly actor: Actor;
  /** The span of the call that carries this request (the fetch), parent of the llm span. */
  readonly parentSpan: number;
  readonly signal?: AbortSignal | undefined;
}

export type LlmOutcome =
  | {
      readonly kind: 'reply';
      /** A deterministic response id, without provider prefix. */
      readonly id: string;
      /** Virtual epoch seconds when the response was created. */
      readonly created: number;
      /** The model version that answered. */
      readonly model: string;
      readonly reply: ProducedReply;
      readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
      /** How a streamed body unfolds (delays, stalls, cuts). */
      readonly stream: StreamPlan;
      /** Wire-level damage for the adapter to apply to the body it renders. */
      readonly wire: { readonly offSchema: boolean; readonly truncate: number | undefined };
    }
  | { readonly kind: 'error'; readonly status: number; readonly type: ErrorType; readonly message: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'connection'; readonly mode: 'refused' | 'reset' };

export type ErrorType = 'rate_limit' | 'server' | 'overloaded' | 'not_found';

const LLM_KINDS = kindsByLayer.llm as FaultKind[];

export class LlmService {
  private readonly calls = new Map<string, number>();

  constructor(
    readonly kernel: Kernel,
    private readonly injector: FaultInjector,
    private readonly ledger: Ledger,
    readonly models: Readonly<Record<string, ModelConfig>>,
    private readonly prices: PriceTable,
    private readonly timing: GenerationTiming,
  ) {}

  // Streams are made on first use: seeding one costs microseconds, and most runs need few of them.
  private get ids(): RandomStream {
    return this.kernel.rng.stream('llm:ids');
  }

  private get timingStream(): RandomStream {
    return this.kernel.rng.stream('llm:timing');
  }

  private get corruptStream(): RandomStream {
    return this.kernel.rng.stream('llm:corrupt');
  }

  /** A deterministic id: 24 base-36 characters from the run's `llm:ids` stream. */
  newId(): string {
    let id = '';
    for (let i = 0; i < 24; i++) id += this.ids.int(0, 35).toString(36);
    return id;
  }

  async respond(call: LlmCall): Promise<LlmOutcome> {
    const { kernel } = this;
    const { conversation, actor } = call;
    const target = `llm:${conversation.model}`;
    const span = kernel.trace.open({
      parent: call.parentSpan,
      actor: actor.name,
      kind: 'llm',
      target,
      data: { api: call.api, model: conversation.model, stream: call.stream, messages: conversation.messages.length, prompt: promptDigest(conversation) },
    });
    const hits = this.injector.decide(target, actor.name, LLM_KINDS, span);
    for (const hit of hits) if (hit.kind === 'latency') await kernel.delay(actor, sampleLatency(hit.params.latency, this.timingStream));

    const early = this.earlyFault(hits, span);
    if (early !== undefined) return early;
    if (firstOf(hits, 'hang') !== undefined) {
      call.signal?.addEventListener('abort', () => kernel.trace.close(span, 'aborted'), { once: true });
      return new Promise<LlmOutcome>(() => undefined);
    }

    const config = this.models[conversation.model];
    if (config === undefined) {
      kernel.trace.close(span, 'error', { error: 'model_not_found' });
      kernel.problem(
        'unknown-model',
        `The agent asked for model "${conversation.model}", which the world does not simulate (it has ${
          Object.keys(this.models)
            .map((m) => `"${m}"`)
            .join(', ') || 'none'
        })`,
        actor,
      );
      return {
        kind: 'error',
        status: 404,
        type: 'not_found',
        message: `The model \`${conversation.model}\` does not exist or you do not have access to it.`,
        headers: {},
      };
    }
    const skew = firstOf(hits, 'version-skew');
    const version = skew?.params.to ?? config.version ?? conversation.model;
    const brain = skew === undefined ? config.brain : config.versions?.[skew.params.to];
    if (brain === undefined) {
      throw new FaultlineError('INVALID_FAULT_PLAN', {
        what: `Fault ${skew?.id} moves "${conversation.model}" to version "${skew?.params.to}", which the model does not declare`,
        where: kernel.where(actor),
        todo: `Declare it in llm.models["${conversation.model}"].versions`,
      });
    }
    const index = this.calls.get(version) ?? 0;
    this.calls.set(version, index + 1);
    const answer = await brain(conversation, {
      model: version,
      call: index,
      random: kernel.rng.stream(`llm:brain:${version}`),
      actor: actor.name,
      now: kernel.now(),
    });
    let reply = this.produce(typeof answer === 'string' ? { text: answer } : answer, call.api);
    this.checkOffered(reply, conversation, actor);
    reply = capTokens(this.damage(reply, hits, span, actor), conversation.maxTokens);

    // Billed as produced: a stream cut short later on the wire was still generated in full.
    const usage = { inputTokens: promptTokens(conversation), outputTokens: completionTokens(reply) };
    const price = priceOf(version, this.prices) ?? priceOf(conversation.model, this.prices);
    const usd = price === undefined ? 0 : dollars(price, usage.inputTokens, usage.outputTokens);
    this.ledger.record({ t: kernel.now(), actor: actor.name, model: version, span, ...usage, usd });

    const firstTokenMs = sampleLatency(this.timing.firstTokenMs, this.timingStream);
    await kernel.delay(actor, call.stream ? firstTokenMs : firstTokenMs + Math.round(usage.outputTokens * this.timing.perTokenMs));
    kernel.trace.close(span, 'ok', {
      version,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      usd,
      toolCalls: reply.toolCalls.map((c) => c.name),
      reply: digest([reply.text, reply.toolCalls.map((c) => [c.name, c.rawArguments])]),
    });
    const stall = firstOf(hits, 'stream-stall');
    const cut = firstOf(hits, 'stream-cut');
    return {
      kind: 'reply',
      id: this.newId(),
      created: Math.floor((kernel.startTime + kernel.now()) / 1000),
      model: version,
      reply,
      usage,
      stream: {
        chunkDelayMs: Math.max(1, Math.round(this.timing.perTokenMs * 4)),
        ...(stall === undefined ? {} : { stall: stall.params }),
        ...(cut === undefined ? {} : { cut: cut.params }),
      },
      wire: { offSchema: firstOf(hits, 'off-schema') !== undefined, truncate: firstOf(hits, 'truncate')?.params.keepFraction },
    };
  }

  /** Faults that answer before the model runs: refused or reset connections, 429s, 5xx. */
  private earlyFault(hits: readonly Hit[], span: number): LlmOutcome | undefined {
    const outage = firstOf(hits, 'outage');
    if (outage !== undefined) {
      this.kernel.trace.close(span, 'fault', { fault: outage.id });
      return { kind: 'connection', mode: outage.params.mode };
    }
    const limited = firstOf(hits, 'rate-limit');
    if (limited !== undefined) {
      this.kernel.trace.close(span, 'fault', { fault: limited.id, status: 429 });
      const headers = retryAfterHeaders(limited.params.retryAfterMs, limited.params.header);
      return { kind: 'error', status: 429, type: 'rate_limit', message: 'Rate limit reached for requests. Please try again later.', headers };
    }
    const failed = firstOf(hits, 'server-error');
    if (failed !== undefined) {
      const { status } = failed.params;
      this.kernel.trace.close(span, 'fault', { fault: failed.id, status });
      const type: ErrorType = status === 529 ? 'overloaded' : 'server';
      return {
        kind: 'error',
        status,
        type,
        message: failed.params.message ?? (status === 529 ? 'Overloaded' : 'The server had an error while processing your request.'),
        headers: {},
      };
    }
    return undefined;
  }

  /** A brain that calls a tool the request did not offer is a scenario bug worth saying out loud. */
  private checkOffered(reply: ProducedReply, conversation: Conversation, actor: Actor): void {
    const offered = new Set(conversation.tools.map((t) => t.name));
    for (const call of reply.toolCalls) {
      if (offered.has(call.name)) continue;
      this.kernel.problem(
        'unoffered-tool',
        `The brain of "${conversation.model}" called tool "${call.name}", which the request did not offer (it offered ${[...offered].map((t) => `"${t}"`).join(', ') || 'none'})`,
        actor,
      );
    }
  }

  /** Gives tool calls ids and wire-ready arguments. */
  private produce(reply: Reply, api: ApiName): ProducedReply {
    const prefix = api === 'anthropic.messages' ? 'toolu_' : 'call_';
    const toolCalls: ToolCall[] = (reply.toolCalls ?? []).map((c) => ({
      id: `${prefix}${this.newId()}`,
      name: c.name,
      arguments: c.arguments,
      rawArguments: JSON.stringify(c.arguments ?? {}),
    }));
    return { text: reply.text ?? '', toolCalls, stopReason: toolCalls.length > 0 ? 'tool_calls' : 'stop' };
  }

  /** Faults that change what the model said: empty answers, malformed tool arguments, corrupted facts. */
  private damage(reply: ProducedReply, hits: readonly Hit[], span: number, actor: Actor): ProducedReply {
    if (firstOf(hits, 'empty') !== undefined) return { text: '', toolCalls: [], stopReason: 'stop' };
    let out = reply;
    const malformed = firstOf(hits, 'malformed');
    if (malformed !== undefined) out = malformArguments(out, malformed.params.mode);
    const corruption = firstOf(hits, 'corrupt');
    if (corruption !== undefined) {
      const faker = () => seededFaker(this.corruptStream);
      const want = corruption.params.fact;
      const call = out.toolCalls.find((c) => c.arguments !== undefined && corrupt(c.arguments, want, this.corruptStream, faker) !== undefined);
      const changed = call !== undefined ? corrupt(call.arguments, want, this.corruptStream, faker) : corrupt(out.text, want, this.corruptStream, faker);
      if (changed !== undefined) {
        this.kernel.trace.record({
          type: 'mark',
          name: 'taint',
          actor: actor.name,
          span,
          data: { rule: corruption.id, target: `llm`, where: call === undefined ? 'text' : `tool:${call.name}`, ...changed.taint },
        });
        out =
          call === undefined
            ? { ...out, text: changed.value as string }
            : {
                ...out,
                toolCalls: out.toolCalls.map((c) => (c === call ? { ...c, arguments: changed.value, rawArguments: JSON.stringify(changed.value) } : c)),
              };
      }
    }
    return out;
  }
}

/**
 * Enforces the request's max_tokens as providers do: the answer stops where the budget runs out
 * (stop reason `length`), and tool calls that no longer fit are dropped.
 */
function capTokens(reply: ProducedReply, maxTokens: number | undefined): ProducedReply {
  if (maxTokens === undefined || completionTokens(reply) <= maxTokens) return reply;
  const textTokens = encoding().encode(reply.text);
  if (textTokens.length >= maxTokens) return { text: encoding().decode(textTokens.slice(0, maxTokens)), toolCalls: [], stopReason: 'length' };
  const kept: ToolCall[] = [];
  let used = textTokens.length;
  for (const call of reply.toolCalls) {
    const cost = completionTokens({ text: '', toolCalls: [call], stopReason: 'tool_calls' });
    if (used + cost > maxTokens) break;
    kept.push(call);
    used += cost;
  }
  return { text: reply.text, toolCalls: kept, stopReason: 'length' };
}

/** Breaks the first tool call's arguments (or a JSON text answer) the way models really do. */
function malformArguments(reply: ProducedReply, mode: 'truncated-json' | 'not-json' | 'wrong-type'): ProducedReply {
  const breakJson = (raw: string): string =>
    mode === 'truncated-json'
      ? raw.slice(0, Math.max(1, Math.floor(raw.length / 2)))
      : mode === 'not-json'
        ? raw.replace(/"/g, '').replace(/:/g, ' =')
        : JSON.stringify([raw]);
  const first = reply.toolCalls[0];
  if (first !== undefined) {
    const raw = breakJson(first.rawArguments);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    return { ...reply, toolCalls: [{ ...first, rawArguments: raw, arguments: parsed }, ...reply.toolCalls.slice(1)] };
  }
  const text = reply.text.trim();
  if (text.startsWith('{') || text.startsWith('[')) return { ...reply, text: breakJson(text) };
  return reply;
}

/** What the model was asked, as a digest for the trace: the system prompt, the messages and the tools offered. */
function promptDigest(conversation: Conversation): string {
  return digest([conversation.system, conversation.messages, conversation.tools, conversation.maxTokens]);
}
