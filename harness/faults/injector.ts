// The fault injector: applies a fault plan at yield points. Each world layer (fetch, llm, tools,
// mcp, stores) asks it which rules select a call, and the fault kinds then change the call the way
// they really happen at that layer. Selection and effect are recorded apart: the injector counts a
// *selection* (for coverage), and a hit records an *effect* — a `fault` mark saying what changed —
// only at the moment it changes what the caller sees. A fault that changed nothing leaves no mark,
// so it can neither be reported as fired nor survive in a shrunk plan.
import picomatch from 'picomatch';
import type { Kernel } from '../sim/kernel.ts';
import type { TraceData } from '../sim/trace.ts';
import type { EffectRecorder } from './faultKind.ts';
import { type FaultKind, type FaultPlan, type FaultRule, ruleIds } from './plan.ts';

/** A rule of kind `K` that selected a call; it records an effect only when it changes the call. */
export interface HitOf<K extends FaultKind> extends EffectRecorder {
  readonly id: string;
  readonly kind: K;
  readonly rule: Extract<FaultRule, { kind: K }>;
  readonly params: Extract<FaultRule, { kind: K }>['params'];
  /** The call's index among the calls this rule's target matched, from 0 (-1 for state and timed faults). */
  readonly call: number;
  /** True once the hit has recorded an effect. */
  readonly changed: boolean;
}

/** A rule that selected a call; narrowing on `kind` narrows `params`. */
export type Hit = { [K in FaultKind]: HitOf<K> }[FaultKind];

/** What one rule did in one run (or, summed, in a check). */
export interface RuleCoverage {
  readonly rule: string;
  readonly kind: FaultKind;
  readonly target: string;
  readonly optional: boolean;
  /** Calls whose yield point (and actor) the rule's target matched. */
  readonly matched: number;
  /** Calls the rule selected (its `when` held). */
  readonly fired: number;
  /** Selected calls on which it changed what the caller saw (each left a `fault` mark). */
  readonly changed: number;
  /** Why it changed nothing when selected, as sentences (at most three). */
  readonly noEffect: readonly string[];
}

/** The yield points a run visited (calls per target) and what each rule did. */
export interface FaultCoverage {
  readonly targets: Readonly<Record<string, number>>;
  readonly rules: readonly RuleCoverage[];
}

interface ArmedRule {
  readonly id: string;
  readonly rule: FaultRule;
  readonly target: (name: string) => boolean;
  readonly actor: ((name: string) => boolean) | undefined;
  readonly streamName: string;
  /** Calls it could affect (its kind in the layer's repertoire): what `when.calls` counts. */
  seen: number;
  hits: number;
  matched: number;
  changed: number;
  /** Keys of state and timed hits already counted, so a state seen twice counts once. */
  readonly counted: Set<string>;
  readonly reasons: Set<string>;
}

const glob = (pattern: string) => picomatch(pattern, { bash: true, dot: true });

export class FaultInjector {
  private readonly rules: ArmedRule[];
  private readonly targets = new Map<string, number>();

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
      matched: 0,
      changed: 0,
      counted: new Set(),
      reasons: new Set(),
    }));
  }

  /** While true (a heal phase), no rule hits anything. */
  disabled = false;

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** Notes that yield point `target` exists in this run without a call (a tool listed, a server connected). */
  visit(target: string): void {
    if (!this.targets.has(target)) this.targets.set(target, 0);
  }

  /**
   * The rules that select this call of `target` by `actor`, in plan order. Only rules whose kind is
   * in `kinds` (the layer's repertoire for this call) can select it. Nothing is recorded in the
   * trace here: a hit records its effect when (and if) it changes the call.
   */
  decide(target: string | readonly string[], actor: string, kinds: readonly FaultKind[], span?: number): Hit[] {
    // A yield point may have more than one name (an LLM call: `llm:<model>` and `llm:<provider>/<model>`);
    // each is visited, a rule selects the call when its target matches any, and marks carry the first.
    const names = typeof target === 'string' ? [target] : target;
    for (const name of names) this.targets.set(name, (this.targets.get(name) ?? 0) + 1);
    if (this.rules.length === 0 || this.disabled) return [];
    const now = this.kernel.now();
    const hits: Hit[] = [];
    for (const armed of this.rules) {
      const { rule } = armed;
      if (!names.some((name) => armed.target(name))) continue;
      if (armed.actor !== undefined && !armed.actor(actor)) continue;
      armed.matched++;
      if (!kinds.includes(rule.kind)) continue;
      const call = armed.seen++;
      if (!selects(rule, call, now, armed.hits)) continue;
      if (rule.when?.probability !== undefined && !this.kernel.rng.stream(armed.streamName).bool(rule.when.probability)) continue;
      armed.hits++;
      hits.push(this.hit(armed, { target: names[0] as string, actor, span, call }));
    }
    return hits;
  }

  /**
   * Rules of the given kinds on `target` whose time window contains the current virtual time,
   * without counting a call: for state that changes at a time (a schema drifts, an alias moves).
   * A state hit counts as fired, and as changed, once per run however often it is seen.
   */
  activeNow(target: string, kinds: readonly FaultKind[], actor?: string, span?: number): Hit[] {
    if (this.disabled) return [];
    const now = this.kernel.now();
    return this.rules
      .filter((a) => kinds.includes(a.rule.kind) && a.target(target) && inWindow(a.rule, now))
      .map((a) => this.hit(a, { target, actor, span, call: -1, once: `state:${target}` }));
  }

  /** Rules of the given kinds matching `target`, for layers that schedule them as events at `when.afterMs`. */
  scheduled(target: string, kinds: readonly FaultKind[]): Array<{ id: string; rule: FaultRule; atMs: number }> {
    this.visit(target);
    return this.rules.filter((a) => kinds.includes(a.rule.kind) && a.target(target)).map((a) => ({ id: a.id, rule: a.rule, atMs: a.rule.when?.afterMs ?? 0 }));
  }

  /** A hit for a timed rule (by id) that the layer fires itself, counted once per run. */
  timed(id: string, target: string, actor?: string): Hit | undefined {
    const armed = this.rules.find((a) => a.id === id);
    return armed === undefined ? undefined : this.hit(armed, { target, actor, span: undefined, call: -1, once: `timed:${target}` });
  }

  /** What each rule did in this run, and every yield point the run visited. */
  coverage(): FaultCoverage {
    return {
      targets: Object.fromEntries([...this.targets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      rules: this.rules.map((a) => ({
        rule: a.id,
        kind: a.rule.kind,
        target: a.rule.target,
        optional: a.rule.optional === true,
        matched: a.matched,
        fired: a.hits,
        changed: a.changed,
        noEffect: [...a.reasons],
      })),
    };
  }

  private hit(armed: ArmedRule, at: { target: string; actor: string | undefined; span: number | undefined; call: number; once?: string }): Hit {
    const { kernel } = this;
    const { id, rule } = armed;
    if (at.once !== undefined && !armed.counted.has(`fired:${at.once}`)) {
      armed.counted.add(`fired:${at.once}`);
      armed.hits++;
    }
    // `changed` is a plain field (not a getter over a local): an accessor made per hit would give each
    // its own hidden class in V8's old space, keeping the run's objects alive through young-generation
    // collections.
    const hit = {
      id,
      kind: rule.kind,
      rule,
      params: rule.params,
      call: at.call,
      changed: false,
      effect(what?: TraceData): void {
        if (kernel.ended) return;
        const data: TraceData = { rule: id, kind: rule.kind, target: at.target, ...(at.call >= 0 ? { call: at.call } : {}), ...what };
        kernel.trace.record({
          type: 'mark',
          name: 'fault',
          ...(at.actor === undefined ? {} : { actor: at.actor }),
          ...(at.span === undefined ? {} : { span: at.span }),
          data,
        });
        if (hit.changed) return;
        hit.changed = true;
        if (at.once === undefined) armed.changed++;
        else if (!armed.counted.has(`changed:${at.once}`)) {
          armed.counted.add(`changed:${at.once}`);
          armed.changed++;
        }
      },
      noEffect(why: string): void {
        if (armed.reasons.size < 3) armed.reasons.add(why);
      },
    };
    return hit as unknown as Hit;
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
