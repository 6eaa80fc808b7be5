// What a fault kind is: its parameters (a zod schema with every default), what it does on each
// layer it can act on, why a rule of it can never act where it is placed (checked when a plan is
// validated), and the hooks through which it changes a response. One file per kind, in kinds/,
// declares all of it (STYLE.md: a fault kind is a concept), so a reader never has to visit five
// folders to learn what `stream-cut` means; the layers and adapters offer the hooks.
import type { z } from 'zod';
import type { BodyHooks, ReplyHooks } from './hooks.ts';

/** The layers a target names by its prefix: `http:api.example.com`, `llm:gpt-4o`, `tool:search`, `mcp:crm`, `store:ledger`. */
export const LAYERS = ['http', 'llm', 'tool', 'mcp', 'store'] as const;
export type Layer = (typeof LAYERS)[number];

/** Where a rule is placed, for `refuse`: its layer (undefined for a target glob such as `*`), and when it selects calls. */
export interface Placement {
  readonly layer: Layer | undefined;
  readonly target: string;
  readonly when?: {
    readonly afterMs?: number | undefined;
    readonly beforeMs?: number | undefined;
    readonly calls?: unknown;
    readonly times?: number | undefined;
    readonly probability?: number | undefined;
  };
}

/** What a hook is given to report on one hit: the change it made, or why it made none. */
export interface EffectRecorder {
  /** The id of the rule that hit (`<kind>@<target>` unless the rule names itself). */
  readonly id: string;
  /** The fault changed what the caller saw: records a `fault` mark with `what` it changed. */
  effect(what?: Readonly<Record<string, string | number | boolean | null>>): void;
  /** The fault was selected but could not act on this call; `why` is shown in fault coverage. */
  noEffect(why: string): void;
}

export interface FaultKindSpec<K extends string = string, P extends z.ZodType = z.ZodType> {
  readonly kind: K;
  /** One sentence: what the kind simulates. */
  readonly summary: string;
  /** The params, with every default filled in by the schema (params may be omitted when all have defaults). */
  readonly params: P;
  /** What the kind does on each layer it can act on. A layer not listed refuses the kind. */
  readonly layers: Readonly<Partial<Record<Layer, string>>>;
  /**
   * Where the shape differs per API (keys: `openai.chat`, `openai.responses`, `anthropic.messages`,
   * `gemini.generateContent`, `bedrock.converse`, `direct`, and the hosts with their own dialect of
   * the OpenAI APIs, `azure.openai` and `openai-compatible hosts`), with the provider source the shape
   * was taken from; printed by the conformance test.
   */
  readonly apis?: Readonly<Record<string, string>>;
  /** Why a rule with these params can never act at this placement, or undefined when it can. */
  readonly refuse?: (params: z.output<P>, where: Placement) => string | undefined;
  /** Changes a response body (streamed or whole) through the adapters' uniform hooks. */
  readonly onBody?: (body: BodyHooks, params: z.output<P>, hit: EffectRecorder) => void;
  /** Changes what a simulated model produced, before any adapter renders it. */
  readonly onReply?: (reply: ReplyHooks, params: z.output<P>, hit: EffectRecorder) => void;
}

/** Declares a fault kind (an identity function that fixes the types). */
export function defineFaultKind<K extends string, P extends z.ZodType>(spec: FaultKindSpec<K, P>): FaultKindSpec<K, P> {
  return spec;
}

/** The layer a target names, `undefined` for a glob with no layer prefix, or the unknown prefix itself. */
export function layerOf(target: string): { layer: Layer | undefined; unknown?: string } {
  const prefix = /^([a-z]+):/.exec(target)?.[1];
  if (prefix === undefined) return { layer: undefined };
  return (LAYERS as readonly string[]).includes(prefix) ? { layer: prefix as Layer } : { layer: undefined, unknown: prefix };
}
