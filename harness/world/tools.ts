// Tools: functions an agent calls through the world, each call a yield point `tool:<name>` where the
// fault plan can delay it, fail it, hang it, empty or truncate or corrupt its result, drift its input
// schema, or remove or rename it. Inputs are validated with the tool's zod schema, whose JSON Schema
// is what brains and LLM requests are offered.
import { z } from 'zod';
import { corrupt, seededFaker } from '../faults/corrupt.ts';
import { type FaultInjector, firstOf, type Hit } from '../faults/injector.ts';
import { type FaultKind, kindsByLayer } from '../faults/plan.ts';
import { changedDescription } from '../faults/toolDrift.ts';
import type { Actor } from '../sim/actors.ts';
import { canonicalJson } from '../sim/canonicalJson.ts';
import { digest } from '../sim/digest.ts';
import { FaultlineError } from '../sim/errors.ts';
import type { Kernel } from '../sim/kernel.ts';
import { sampleLatency } from '../sim/latency.ts';
import type { RandomStream } from '../sim/rng.ts';
import type { ToolSpec } from './llm/conversation.ts';

export interface ToolContext {
  readonly actor: string;
  /** Virtual milliseconds since the run started. */
  readonly now: number;
}

export interface Tool<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly name: string;
  readonly description: string;
  readonly input: I;
  readonly handler: (args: z.output<I>, context: ToolContext) => O | Promise<O>;
}

/** Defines a tool. The handler is the tool's honest behaviour; faults are the plan's business. */
export function defineTool<I extends z.ZodType, O>(tool: Tool<I, O>): Tool<I, O> {
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) {
    throw new FaultlineError('INVALID_OPTIONS', {
      what: `Tool name "${tool.name}" is not valid`,
      todo: 'Use 1–64 letters, digits, underscores or dashes, as the OpenAI and Anthropic APIs require',
    });
  }
  return tool;
}

/** An error a tool call ends with: the tool failed, is missing, or was called with bad input. */
export class ToolError extends Error {
  constructor(
    readonly tool: string,
    readonly reason: 'failed' | 'not-found' | 'invalid-input' | 'lost-reply',
    message: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/** Kinds that change a tool's state at a time (applied through `activeNow`), not one call. */
const STATE_KINDS: FaultKind[] = ['schema-drift', 'description-changed', 'tool-removed', 'tool-renamed'];
const CALL_KINDS = (kindsByLayer.tool as FaultKind[]).filter((k) => !STATE_KINDS.includes(k));

/** The tools of one run, as the world serves them. */
/**
 * One call of a tool as the agent made it and saw it answered: the content the trace only digests,
 * kept for reports (tool spans with their arguments and results) and for properties that follow a
 * value into a tool call (noSilentCorruption).
 */
export interface ToolCallRecord {
  /** The call's span in the trace (set once the call reached the tool). */
  span?: number;
  /** Virtual time of the call, in ms. */
  readonly t: number;
  readonly actor: string;
  /** The name the agent called (a renamed tool's new name). */
  readonly tool: string;
  readonly args: unknown;
  /** `pending` for a call that never answered (a hang, or the run ended first). */
  outcome: 'ok' | 'error' | 'pending';
  result?: unknown;
  error?: string;
}

export class ToolBox {
  private readonly byName: ReadonlyMap<string, Tool>;
  /** Every call made in this run, in order. */
  readonly calls: ToolCallRecord[] = [];

  constructor(
    private readonly kernel: Kernel,
    private readonly injector: FaultInjector,
    tools: readonly Tool[],
  ) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  private get faultStream(): RandomStream {
    return this.kernel.rng.stream('tools:faults');
  }

  /** State faults already marked in the trace as seen by a listing (each once per run). */
  private readonly listed = new Set<string>();

  /** The tools on offer now, after any removal, renaming or schema drift in force. */
  list(): ToolSpec[] {
    const out: ToolSpec[] = [];
    for (const tool of this.byName.values()) {
      this.injector.visit(`tool:${tool.name}`);
      for (const state of this.injector.activeNow(`tool:${tool.name}`, STATE_KINDS)) {
        if (this.listed.has(state.id)) continue;
        this.listed.add(state.id);
        this.stateEffect(tool, state, { seenBy: 'list' });
      }
      const view = this.view(tool.name);
      if (view === undefined) continue;
      out.push({ name: view.name, description: view.description, parameters: jsonSchemaOf(view.schema) });
    }
    return out;
  }

  /** Calls tool `name` as `actor`: a yield point with the tool's faults. */
  call(actor: Actor, name: string, args: unknown): Promise<unknown> {
    const target = `tool:${this.originalName(name) ?? name}`;
    const record: ToolCallRecord = { t: this.kernel.now(), actor: actor.name, tool: name, args, outcome: 'pending' };
    this.calls.push(record);
    return this.kernel.call<unknown>(
      { actor, kind: 'tool', target, what: `tool ${name}`, data: { tool: name, args: digest(args) }, summarize: (result) => ({ result: digest(result) }) },
      { requestMs: 0, responseMs: 0 },
      recorded(record, async (call) => {
        const hits = this.injector.decide(target, actor.name, CALL_KINDS, call.span);
        const defined = this.byName.get(this.originalName(name) ?? name);
        for (const state of this.injector.activeNow(target, STATE_KINDS, actor.name, call.span))
          if (defined !== undefined) this.stateEffect(defined, state, {});
        for (const hit of hits) {
          if (hit.kind !== 'latency') continue;
          const ms = sampleLatency(hit.params.latency, this.faultStream);
          if (ms > 0) hit.effect({ ms });
          await this.kernel.delay(actor, ms);
        }
        const original = this.originalName(name);
        const view = original === undefined ? undefined : this.view(original);
        if (original === undefined || view === undefined || view.name !== name) {
          const offered = this.list().map((t) => t.name);
          throw new ToolError(name, 'not-found', `Tool "${name}" not found; the tools on offer are ${offered.map((t) => `"${t}"`).join(', ') || 'none'}`);
        }
        const tool = this.byName.get(original) as Tool;
        const hang = firstOf(hits, 'hang');
        if (hang !== undefined) {
          hang.effect();
          return new Promise(() => undefined);
        }
        const failure = firstOf(hits, 'error');
        if (failure !== undefined) {
          failure.effect({ message: failure.params.message });
          throw new ToolError(name, 'failed', `Tool "${name}" failed: ${failure.params.message}`);
        }
        const parsed = view.schema.safeParse(args);
        if (!parsed.success) {
          throw new ToolError(
            name,
            'invalid-input',
            `Tool "${name}" rejected its input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`,
          );
        }
        const result = await tool.handler(view.toOriginal(parsed.data), { actor: actor.name, now: this.kernel.now() });
        const lost = firstOf(hits, 'lost-ack');
        if (lost !== undefined) {
          // The handler ran (whatever it did is done); its answer is lost on the way back, or late.
          lost.effect({ mode: lost.params.mode, ...(lost.params.mode === 'late' ? { lateMs: lost.params.lateMs } : {}) });
          if (lost.params.mode === 'reset') throw new ToolError(name, 'lost-reply', `Tool "${name}" ran, but its reply was lost (the connection reset)`);
          await this.kernel.delay(actor, lost.params.lateMs);
        }
        return this.damage(result, hits, call.span, actor, name);
      }),
    );
  }

  /** The current name and input schema of a tool, or undefined when it has been removed. */
  private view(original: string): { name: string; description: string; schema: z.ZodType; toOriginal: (args: unknown) => unknown } | undefined {
    const tool = this.byName.get(original);
    if (tool === undefined) return undefined;
    const state = this.injector.activeNow(`tool:${original}`, STATE_KINDS);
    if (state.some((h) => h.kind === 'tool-removed')) return undefined;
    const renamed = firstOf(state, 'tool-renamed');
    const drift = firstOf(state, 'schema-drift');
    const described = firstOf(state, 'description-changed');
    const name = renamed?.params.to ?? original;
    const description = described === undefined ? tool.description : (described.params.to ?? changedDescription(tool.description));
    if (drift === undefined) return { name, description, schema: tool.input, toOriginal: (a) => a };
    return { name, description, ...drifted(tool, drift.params) };
  }

  /** The defined name behind a name the agent used (a renamed tool answers to its new name). */
  private originalName(name: string): string | undefined {
    if (this.byName.has(name)) return name;
    for (const original of this.byName.keys()) {
      const renamed = firstOf(this.injector.activeNow(`tool:${original}`, ['tool-renamed']), 'tool-renamed');
      if (renamed?.params.to === name) return original;
    }
    return undefined;
  }

  /** Records that a state fault (removal, rename, drift, new description) changed what the agent saw of `tool`. */
  private stateEffect(tool: Tool, state: Hit, data: Record<string, string>): void {
    if (state.kind === 'schema-drift') {
      const drift = drifted(tool, state.params);
      if (drift.schema === tool.input) {
        state.noEffect(`tool "${tool.name}" has no input field "${state.params.field ?? '(first)'}" to rename`);
        return;
      }
    }
    state.effect(data);
  }

  private damage(result: unknown, hits: readonly Hit[], span: number, actor: Actor, name: string): unknown {
    const emptied = firstOf(hits, 'empty');
    if (emptied !== undefined) {
      const empty = Array.isArray(result) ? [] : typeof result === 'string' ? '' : result === null || typeof result !== 'object' ? null : {};
      if (canonicalJson(empty) === canonicalJson(result ?? null)) emptied.noEffect('the result was already empty');
      else {
        emptied.effect();
        return empty;
      }
    }
    let out = result;
    const truncate = firstOf(hits, 'truncate');
    if (truncate !== undefined) {
      const cut = partial(out, truncate.params.keepFraction);
      if (canonicalJson(cut ?? null) === canonicalJson(out ?? null)) truncate.noEffect('the result has nothing to cut at that fraction');
      else {
        truncate.effect({ keepFraction: truncate.params.keepFraction });
        out = cut;
      }
    }
    const corruption = firstOf(hits, 'corrupt');
    if (corruption !== undefined) {
      const changed = corrupt(out, corruption.params.fact, this.faultStream, () => seededFaker(this.faultStream));
      if (changed === undefined) corruption.noEffect(`the result has no ${corruption.params.fact === 'any' ? '' : `${corruption.params.fact} `}fact to change`);
      if (changed !== undefined) {
        corruption.effect({ path: changed.taint.path });
        this.kernel.trace.record({
          type: 'mark',
          name: 'taint',
          actor: actor.name,
          span,
          data: { rule: corruption.id, target: `tool:${name}`, where: `tool:${name}`, ...changed.taint },
        });
        out = changed.value;
      }
    }
    return out;
  }
}

/** A tool "succeeding" with partial data: lists keep their first part, text its beginning. */
function partial(value: unknown, keepFraction: number): unknown {
  if (Array.isArray(value)) return value.slice(0, Math.floor(value.length * keepFraction));
  if (typeof value === 'string') return value.slice(0, Math.floor(value.length * keepFraction));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    const arrays = entries.filter(([, v]) => Array.isArray(v));
    if (arrays.length > 0) return Object.fromEntries(entries.map(([k, v]) => [k, Array.isArray(v) ? v.slice(0, Math.floor(v.length * keepFraction)) : v]));
    return Object.fromEntries(entries.slice(0, Math.max(1, Math.floor(entries.length * keepFraction))));
  }
  return value;
}

/** A tool whose input schema drifted: one field renamed (the first, unless the fault names one). */
function drifted(tool: Tool, params: { field?: string | undefined; to?: string | undefined }): { schema: z.ZodType; toOriginal: (args: unknown) => unknown } {
  if (!(tool.input instanceof z.ZodObject)) return { schema: tool.input, toOriginal: (a) => a };
  const shape = tool.input.shape as Record<string, z.ZodType>;
  const field = params.field ?? Object.keys(shape)[0];
  if (field === undefined || !(field in shape)) return { schema: tool.input, toOriginal: (a) => a };
  const to = params.to ?? `${field}_v2`;
  const next: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(shape)) next[k === field ? to : k] = v;
  return {
    schema: z.object(next).strict(),
    toOriginal: (args) => {
      const { [to]: value, ...rest } = args as Record<string, unknown>;
      return { ...rest, [field]: value };
    },
  };
}

/** The JSON Schema of a tool's input, without the `$schema` line providers do not want. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let text = schemaTexts.get(schema);
  if (text === undefined) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
    text = JSON.stringify(rest);
    schemaTexts.set(schema, text);
  }
  // A fresh copy each time: a caller (an SDK, a framework) may change what it is given.
  return JSON.parse(text) as Record<string, unknown>;
}

/** JSON Schemas already converted, as text, by schema (zod schemas do not change; a drifted one is a new schema). Converting one is ~30 µs, parsing its text a few. */
const schemaTexts = new WeakMap<z.ZodType, string>();

/** Wraps a tool call's body so that `record` learns its span and how it answered. */
function recorded<C extends { readonly span: number }>(record: ToolCallRecord, body: (call: C) => Promise<unknown>): (call: C) => Promise<unknown> {
  return async (call) => {
    record.span = call.span;
    try {
      const result = await body(call);
      record.outcome = 'ok';
      record.result = result;
      return result;
    } catch (error) {
      record.outcome = 'error';
      record.error = errorText(error);
      throw error;
    }
  };
}

/** An error's message for the record, whatever was thrown (even a value whose toString throws). */
function errorText(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'a thrown value that cannot be shown';
  }
}
