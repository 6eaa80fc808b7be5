// The simulated LLM service behind every wire adapter. An adapter parses its wire format into a
// Conversation and asks `respond`; the service records the attempt, applies the fault plan at the
// `llm:<model>` yield point, resolves the model (alias, version skew), asks the brain, applies the
// request's own limits (stop sequences, max tokens, tool_choice), lets reply faults change the
// answer, bills the call and waits the generation time in virtual time. The adapter renders the
// outcome in its wire format, and lets the body faults it carries change the body.

import { applyReplyFaults, isBodyKind, isReplyKind } from '../../faults/applyKinds.ts';
import { type FaultInjector, firstOf, type Hit } from '../../faults/injector.ts';
import type { QuotaState } from '../../faults/kinds/rateLimit.ts';
import { type FaultKind, kindsByLayer } from '../../faults/plan.ts';
import type { Actor } from '../../sim/actors.ts';
import { digest } from '../../sim/digest.ts';
import { FaultlineError } from '../../sim/errors.ts';
import type { Kernel } from '../../sim/kernel.ts';
import { type LatencyModel, sampleLatency } from '../../sim/latency.ts';
import type { RandomStream } from '../../sim/rng.ts';
import type { Brain } from './brains.ts';
import type { ApiName, Conversation, ProducedReply, Reply, ToolCall } from './conversation.ts';
import { type ErrorOutcome, earlyFault } from './earlyFaults.ts';
import type { Ledger } from './ledger.ts';
import { dollars, type PriceTable, priceOf } from './pricing.ts';
import { compatibleHosts, llmTargets, NATIVE_PROVIDERS } from './providers.ts';
import { quotaState } from './quota.ts';
import { ReplyEditor } from './replyEditor.ts';
import { applyRequestLimits, checkToolChoice } from './requestLimits.ts';
import { completionTokens, promptTokens } from './tokens.ts';

export type { ErrorOutcome, ErrorType } from './earlyFaults.ts';

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
  /** `n` (Chat Completions): how many answers to produce (default 1). */
  readonly n?: number;
  /**
   * The provider the request was sent to (`openai`, `azure`, `gemini`, `bedrock`, `groq`, …;
   * harness/world/llm/providers.ts); absent for world.llm. Fault rules can select it by
   * `llm:<provider>/<model>`. The brain is not told.
   */
  readonly provider?: string;
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
      /** The answer (the first of `choices`). */
      readonly reply: ProducedReply;
      /** Every answer, when the request asked for `n` > 1 (Chat Completions). */
      readonly choices: readonly ProducedReply[];
      readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
      /** Virtual milliseconds between content chunks of a streamed body. */
      readonly chunkDelayMs: number;
      /** Faults that change the body the adapter renders (harness/faults/applyKinds.ts). */
      readonly bodyFaults: readonly Hit[];
    }
  | ErrorOutcome
  | { readonly kind: 'connection'; readonly mode: 'refused' | 'reset' };

const LLM_KINDS = kindsByLayer.llm as FaultKind[];
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
/** The alphabet of ids Google and AWS write (base64url). */
export const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export class LlmService {
  private readonly calls = new Map<string, number>();
  /** Every provider name a target can qualify a model with. */
  private readonly providers: ReadonlySet<string>;

  constructor(
    readonly kernel: Kernel,
    private readonly injector: FaultInjector,
    private readonly ledger: Ledger,
    readonly models: Readonly<Record<string, ModelConfig>>,
    private readonly prices: PriceTable,
    private readonly timing: GenerationTiming,
    /** The OpenAI-compatible hosts served, by provider name (providers.ts `compatibleHosts`). */
    readonly hosts: Readonly<Record<string, readonly string[]>> = compatibleHosts(),
  ) {
    this.providers = new Set([...NATIVE_PROVIDERS, ...Object.keys(hosts)]);
  }

  // Streams are made on first use: seeding one costs microseconds, and most runs need few of them.
  private get ids(): RandomStream {
    return this.kernel.rng.stream('llm:ids');
  }

  private get timingStream(): RandomStream {
    return this.kernel.rng.stream('llm:timing');
  }

  /** A deterministic id from the run's `llm:ids` stream: `length` characters of `alphabet` (24 base-36 characters by default). */
  newId(length = 24, alphabet = BASE36): string {
    let id = '';
    for (let i = 0; i < length; i++) id += alphabet[this.ids.int(0, alphabet.length - 1)];
    return id;
  }

  /** A deterministic version-4 UUID (the request ids of Azure and AWS). */
  newUuid(): string {
    const hex = this.newId(32, '0123456789abcdef');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Number.parseInt(hex[16] as string, 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  /** What the provider's rate-limit headers report now (see quota.ts). */
  quota(hit?: { readonly limit: 'requests' | 'tokens'; readonly retryAfterMs: number }): QuotaState {
    return quotaState(this.ledger, this.kernel.now(), hit);
  }

  /** A request the provider refused before any model ran (a 400), which still counts as an attempt. */
  refused(actor: Actor, model: string, parentSpan: number): void {
    this.ledger.attempt({ t: this.kernel.now(), actor: actor.name, model, span: parentSpan });
  }

  async respond(call: LlmCall): Promise<LlmOutcome> {
    const { kernel } = this;
    const { conversation, actor } = call;
    const targets = llmTargets(conversation.model, call.provider, this.providers);
    const span = kernel.trace.open({
      parent: call.parentSpan,
      actor: actor.name,
      kind: 'llm',
      target: targets[0] as string,
      data: {
        api: call.api,
        ...(call.provider === undefined ? {} : { provider: call.provider }),
        model: conversation.model,
        stream: call.stream,
        messages: conversation.messages.length,
        prompt: promptDigest(conversation),
      },
    });
    const hits = this.injector.decide(targets, actor.name, LLM_KINDS, span);
    // A refused connection never reached the provider; everything else did, and counts.
    if (firstOf(hits, 'outage')?.params.mode !== 'refused') this.ledger.attempt({ t: kernel.now(), actor: actor.name, model: conversation.model, span });
    for (const hit of hits) {
      if (hit.kind !== 'latency') continue;
      const ms = sampleLatency(hit.params.latency, this.timingStream);
      if (ms > 0) hit.effect({ ms });
      await kernel.delay(actor, ms);
    }

    const early = earlyFault(hits, { kernel, span, model: conversation.model, provider: call.provider });
    if (early !== undefined) return early;
    const hang = firstOf(hits, 'hang');
    if (hang !== undefined) {
      hang.effect();
      call.signal?.addEventListener('abort', () => kernel.trace.close(span, 'aborted'), { once: true });
      return new Promise<LlmOutcome>(() => undefined);
    }

    const config = this.models[conversation.model];
    if (config === undefined) return this.unknownModel(conversation, actor, span);
    const { version, brain } = this.resolve(conversation, config, hits, actor);
    const choices: ProducedReply[] = [];
    for (let i = 0; i < Math.max(1, call.n ?? 1); i++) {
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
      checkToolChoice(reply, conversation, (message) => kernel.problem('tool-choice-ignored', message, actor));
      reply = applyRequestLimits(reply, conversation);
      choices.push(i === 0 ? this.damage(reply, hits, call, span) : reply);
    }
    const reply = choices[0] as ProducedReply;

    // Billed as produced: a stream cut short later on the wire was still generated in full.
    const usage = { inputTokens: promptTokens(conversation), outputTokens: choices.reduce((sum, c) => sum + completionTokens(c), 0) };
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
    const lost = firstOf(hits, 'lost-ack');
    if (lost !== undefined) {
      // The model answered and the call was billed; the reply is lost on the way back, or late.
      lost.effect({ mode: lost.params.mode, ...(lost.params.mode === 'late' ? { lateMs: lost.params.lateMs } : {}) });
      if (lost.params.mode === 'reset') return { kind: 'connection', mode: 'reset' };
      await kernel.delay(actor, lost.params.lateMs);
    }
    return {
      kind: 'reply',
      id: this.newId(),
      created: Math.floor((kernel.startTime + kernel.now()) / 1000),
      model: version,
      reply,
      choices,
      usage,
      chunkDelayMs: Math.max(1, Math.round(this.timing.perTokenMs * 4)),
      bodyFaults: hits.filter(isBodyKind),
    };
  }

  /** The version that answers and its brain, after any version-skew fault. */
  private resolve(conversation: Conversation, config: ModelConfig, hits: readonly Hit[], actor: Actor): { version: string; brain: Brain } {
    const normal = config.version ?? conversation.model;
    const skew = firstOf(hits, 'version-skew');
    if (skew === undefined) return { version: normal, brain: config.brain };
    const brain = config.versions?.[skew.params.to];
    if (brain === undefined) {
      throw new FaultlineError('INVALID_FAULT_PLAN', {
        what: `Fault ${skew.id} moves "${conversation.model}" to version "${skew.params.to}", which the model does not declare`,
        where: this.kernel.where(actor),
        todo: `Declare it in llm.models["${conversation.model}"].versions`,
      });
    }
    if (skew.params.to === normal) skew.noEffect(`"${conversation.model}" already answers as ${normal}`);
    else skew.effect({ to: skew.params.to });
    return { version: skew.params.to, brain };
  }

  private unknownModel(conversation: Conversation, actor: Actor, span: number): LlmOutcome {
    this.kernel.trace.close(span, 'error', { error: 'model_not_found' });
    const offered = Object.keys(this.models).map((m) => `"${m}"`);
    this.kernel.problem(
      'unknown-model',
      `The agent asked for model "${conversation.model}", which the world does not simulate (it has ${offered.join(', ') || 'none'})`,
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
    const prefix = api === 'anthropic.messages' ? 'toolu_' : api === 'bedrock.converse' ? 'tooluse_' : 'call_';
    const toolCalls: ToolCall[] = (reply.toolCalls ?? []).map((c) => {
      const rawArguments = c.rawArguments ?? JSON.stringify(c.arguments ?? {});
      return {
        id: `${prefix}${this.newId()}`,
        name: c.name,
        arguments: c.rawArguments === undefined ? (c.arguments ?? {}) : parseOrUndefined(c.rawArguments),
        rawArguments,
      };
    });
    return { text: reply.text ?? '', toolCalls, stopReason: toolCalls.length > 0 ? 'tool_calls' : 'stop' };
  }

  /** Reply faults (empty, malformed, corrupt) change what the model said, each through its kind's hook. */
  private damage(reply: ProducedReply, hits: readonly Hit[], call: LlmCall, span: number): ProducedReply {
    const replyHits = hits.filter(isReplyKind);
    if (replyHits.length === 0) return reply;
    const editor = new ReplyEditor(reply, call.api, call.stream, {
      kernel: this.kernel,
      actor: call.actor.name,
      span,
      stream: () => this.kernel.rng.stream('llm:corrupt'),
    });
    applyReplyFaults(replyHits, editor);
    return editor.reply;
  }
}

function parseOrUndefined(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** What the model was asked, as a digest for the trace: the system prompt, the messages and the tools offered. */
function promptDigest(conversation: Conversation): string {
  return digest([conversation.system, conversation.messages, conversation.tools, conversation.maxTokens]);
}
