// The fault injector: applies a fault plan at yield points. Each world layer (fetch, llm, tools,
// mcp, stores) asks it which rules hit a call and then injects those faults the way they really
// happen at that layer. Every hit is recorded in the trace as a `fault` mark.
import picomatch from 'picomatch';
import type { Kernel } from '../sim/kernel.ts';
import { type FaultKind, type FaultPlan, type FaultRule, ruleIds } from './plan.ts';

/** A rule of kind `K` that hit a call. */
export interface HitOf<K extends FaultKind> {
  readonly id: string;
  readonly kind: K;
  readonly rule: Extract<FaultRule, { kind: K }>;
  readonly params: Extract<FaultRule, { kind: K }>['params'];
  /** The call's index among the calls this rule's target matched, from 0 (-1 for `activeNow`). */
  readonly call: number;
}

/** A rule that hit a call; narrowing on `kind` narrows `params`. */
export type Hit = { [K in FaultKind]: HitOf<K> }[FaultKind];

interface ArmedRule {
  readonly id: string;
  readonly rule: FaultRule;
  readonly target: (name: string) => boolean;
  readonly actor: ((name: string) => boolean) | undefined;
  readonly streamName: string;
  seen: number;
  hits: number;
}

const glob = (pattern: string) => picomatch(pattern, { bash: true, dot: true });

export class FaultInjector {
  private readonly rules: ArmedRule[];

  constructor(
    readonly plan: FaultPlan,
    private readonly kernel: Kernel,
  ) {
    const ids = ruleIds(plan);
    this.rules = plan.map((rule, i) => ({
      id: ids[i] as string,
      rule,
      target: glob(rule.target),
      actor: rule.when?.actor === undefined ? undefined : glob(rule.when.actor),
      streamName: `fault:${ids[i]}`,
      seen: 0,
      hits: 0,
    }));
  }

  /** While true (a heal phase), no rule hits anything. */
  disabled = false;

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /**
   * The rules that hit this call of `target` by `actor`, in plan order, each recorded as a `fault`
   * mark. Only rules whose kind is in `kinds` are considered (the layer's repertoire).
   */
  decide(target: string, actor: string, kinds: readonly FaultKind[], span?: number): Hit[] {
    if (this.rules.length === 0 || this.disabled) return [];
    const now = this.kernel.now();
    const hits: Hit[] = [];
    for (const armed of this.rules) {
      const { rule } = armed;
      if (!kinds.includes(rule.kind) || !armed.target(target)) continue;
      if (armed.actor !== undefined && !armed.actor(actor)) continue;
      const call = armed.seen++;
      if (!selects(rule, call, now, armed.hits)) continue;
      if (rule.when?.probability !== undefined && !this.kernel.rng.stream(armed.streamName).bool(rule.when.probability)) continue;
      armed.hits++;
      hits.push({ id: armed.id, kind: rule.kind, rule, params: rule.params, call } as Hit);
      this.kernel.trace.record({ type: 'mark', name: 'fault', actor, span, data: { rule: armed.id, kind: rule.kind, target, call } });
    }
    return hits;
  }

  /**
   * Rules of the given kinds on `target` whose time window contains the current virtual time,
   * without counting a call: for state that changes at a time (a schema drifts, an alias moves).
   */
  activeNow(target: string, kinds: readonly FaultKind[]): Array<Hit> {
    if (this.disabled) return [];
    const now = this.kernel.now();
    return this.rules
      .filter((a) => kinds.includes(a.rule.kind) && a.target(target) && inWindow(a.rule, now))
      .map((a) => ({ id: a.id, kind: a.rule.kind, rule: a.rule, params: a.rule.params, call: -1 }) as Hit);
  }

  /** Rules of the given kinds matching `target`, for layers that schedule them as events at `when.afterMs`. */
  scheduled(target: string, kinds: readonly FaultKind[]): Array<{ id: string; rule: FaultRule; atMs: number }> {
    return this.rules.filter((a) => kinds.includes(a.rule.kind) && a.target(target)).map((a) => ({ id: a.id, rule: a.rule, atMs: a.rule.when?.afterMs ?? 0 }));
  }
}

function inWindow(rule: FaultRule, now: number): boolean {
  const w = rule.when;
  if (w === undefined) return true;
  if (w.afterMs !== undefined && now < w.afterMs) return false;
  if (w.beforeMs !== undefined && now >= w.beforeMs) return false;
  return true;
}

function selects(rule: FaultRule, call: number, now: number, hits: number): boolean {
  const w = rule.when;
  if (w === undefined) return true;
  if (w.times !== undefined && hits >= w.times) return false;
  if (!inWindow(rule, now)) return false;
  if (w.calls !== undefined) {
    if (Array.isArray(w.calls)) return w.calls.includes(call);
    if (w.calls.from !== undefined && call < w.calls.from) return false;
    if (w.calls.to !== undefined && call >= w.calls.to) return false;
  }
  return true;
}

/** The first hit of `kind`, typed. */
export function firstOf<K extends FaultKind>(hits: readonly Hit[], kind: K): HitOf<K> | undefined {
  return hits.find((h) => h.kind === kind) as HitOf<K> | undefined;
}
