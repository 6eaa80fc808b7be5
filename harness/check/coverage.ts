// Fault coverage of a check: for every rule of the scenario's fault space, how many calls its target
// matched, how often it fired (its `when` selected a call) and how often it changed what the caller
// saw, summed over the runs. A rule whose target matched no yield point in any run tested nothing —
// usually a typo (`tool:lookupOrder` for `tool:lookup_order`) — so it fails the check, naming the
// targets the runs did have and the nearest one, unless the rule says `optional: true`.
import leven from 'leven';
import picomatch from 'picomatch';
import type { RuleCoverage } from '../faults/injector.ts';
import { type FaultRule, type FaultRuleInput, parseFaultPlan, ruleIds } from '../faults/plan.ts';
import type { RunResult } from '../options.ts';

export interface RuleSummary extends Omit<RuleCoverage, 'noEffect'> {
  /** True when the target matched a yield point the runs had (called or only listed). */
  readonly visited: boolean;
  /** Runs in which the rule was switched on. */
  readonly runsOn: number;
  /** Why it changed nothing when it fired (at most three reasons). */
  readonly noEffect: readonly string[];
}

export interface UnmatchedRule {
  readonly rule: string;
  readonly target: string;
  /** The visited yield point nearest to the rule's target, when one is near enough to suggest. */
  readonly nearest: string | undefined;
}

export interface CheckCoverage {
  readonly runs: number;
  /** Every yield point the runs visited, with its calls summed over the runs. */
  readonly targets: Readonly<Record<string, number>>;
  readonly rules: readonly RuleSummary[];
  /** Rules (not optional) whose target matched no yield point in any run: each fails the check. */
  readonly unmatched: readonly UnmatchedRule[];
}

interface Tally {
  runsOn: number;
  fired: number;
  changed: number;
  readonly reasons: Set<string>;
}

/** Sums the coverage of a check's runs, rule by rule of the fault space. */
export class CoverageTally {
  private readonly space: readonly FaultRule[];
  private readonly ids: readonly string[];
  private readonly tallies: Tally[];
  private readonly targets = new Map<string, number>();
  private runs = 0;

  constructor(space: readonly FaultRuleInput[]) {
    this.space = parseFaultPlan(space);
    this.ids = ruleIds(this.space);
    this.tallies = this.space.map(() => ({ runsOn: 0, fired: 0, changed: 0, reasons: new Set<string>() }));
  }

  /** Adds one run: `plan` is the run's plan, drawn from the space in its order (rules switched off left out). */
  add(plan: readonly FaultRuleInput[], result: Pick<RunResult, 'coverage'>): void {
    this.runs++;
    for (const [target, calls] of Object.entries(result.coverage.targets)) this.targets.set(target, (this.targets.get(target) ?? 0) + calls);
    let from = 0;
    plan.forEach((rule, j) => {
      const k = this.space.findIndex((s, i) => i >= from && s.kind === rule.kind && s.target === rule.target && s.id === rule.id);
      const run = result.coverage.rules[j];
      const tally = this.tallies[k];
      if (k < 0 || run === undefined || tally === undefined) return;
      from = k + 1;
      tally.runsOn++;
      tally.fired += run.fired;
      tally.changed += run.changed;
      for (const reason of run.noEffect) if (tally.reasons.size < 3) tally.reasons.add(reason);
    });
  }

  summary(): CheckCoverage {
    const visited = [...this.targets.keys()].sort();
    const rules = this.space.map((rule, i): RuleSummary => {
      const tally = this.tallies[i] as Tally;
      const match = picomatch(rule.target, { bash: true, dot: true });
      const hits = visited.filter((t) => match(t));
      return {
        rule: this.ids[i] as string,
        kind: rule.kind,
        target: rule.target,
        optional: rule.optional === true,
        matched: hits.reduce((sum, t) => sum + (this.targets.get(t) ?? 0), 0),
        // A yield point seen without a call (a tool listed, a server connected) is still a match.
        visited: hits.length > 0,
        fired: tally.fired,
        changed: tally.changed,
        runsOn: tally.runsOn,
        noEffect: [...tally.reasons],
      };
    });
    const unmatched = rules
      .filter((r) => !r.visited && !r.optional)
      .map((r) => ({ rule: r.rule, target: r.target, nearest: nearestTarget(r.target, visited) }));
    return { runs: this.runs, targets: Object.fromEntries(visited.map((t) => [t, this.targets.get(t) ?? 0])), rules, unmatched };
  }
}

/** The coverage of one run on its own, as a check of one run would report it. */
export function coverageOfRun(result: Pick<RunResult, 'faults' | 'coverage'>): CheckCoverage {
  const tally = new CoverageTally(result.faults);
  tally.add(result.faults, result);
  return tally.summary();
}

/** The visited target nearest to `target` (by edit distance, same layer first), if near enough to be a typo. */
export function nearestTarget(target: string, visited: readonly string[]): string | undefined {
  const literal = target.replace(/[*?[\]{}]/g, '');
  const layer = /^([a-z]+):/.exec(target)?.[1];
  const sameLayer = visited.filter((t) => layer !== undefined && t.startsWith(`${layer}:`));
  const pool = sameLayer.length > 0 ? sameLayer : visited;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of pool) {
    const d = leven(literal.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // Suggest only what a slip of the keyboard (or of naming style) explains.
  const name = literal.slice((layer?.length ?? -1) + 1);
  return best !== undefined && bestDistance <= Math.max(3, Math.ceil(name.length / 2)) ? best : undefined;
}

/** The coverage of a check as a table, with the reason for every rule that tested nothing. */
export function formatCoverage(coverage: CheckCoverage, indent = '  '): string[] {
  const width = Math.max(4, ...coverage.rules.map((r) => r.rule.length));
  const lines = [`${indent}Fault coverage over ${coverage.runs} run${coverage.runs === 1 ? '' : 's'}:`];
  lines.push(`${indent}  ${'rule'.padEnd(width)}  ${'matched'.padStart(7)}  ${'fired'.padStart(6)}  ${'changed'.padStart(7)}`);
  for (const r of coverage.rules) {
    const row = `${indent}  ${r.rule.padEnd(width)}  ${String(r.matched).padStart(7)}  ${String(r.fired).padStart(6)}  ${String(r.changed).padStart(7)}`;
    lines.push(`${row}${noteOf(r, coverage)}`);
  }
  return lines;
}

function noteOf(r: RuleSummary, coverage: CheckCoverage): string {
  const unmatched = coverage.unmatched.find((u) => u.rule === r.rule);
  if (unmatched !== undefined) return `  ✗ ${unmatchedSentence(unmatched, coverage)}`;
  if (!r.visited) return '  (optional; matched nothing)';
  if (r.fired > 0 && r.changed === 0) return `  never changed anything${r.noEffect.length > 0 ? `: ${r.noEffect.join('; ')}` : ''}`;
  return '';
}

/** `matched no yield point in 50 runs; the runs had tool:lookup_order, llm:gpt-4o; did you mean `tool:lookup_order`?` */
export function unmatchedSentence(u: UnmatchedRule, coverage: CheckCoverage): string {
  const had = Object.keys(coverage.targets);
  const shown = had.length === 0 ? 'none' : `${had.slice(0, 12).join(', ')}${had.length > 12 ? `, … (${had.length} in all)` : ''}`;
  const hint = u.nearest === undefined ? '' : `; did you mean \`${u.nearest}\`?`;
  return `"${u.target}" matched no yield point in ${coverage.runs} run${coverage.runs === 1 ? '' : 's'} (the runs had ${shown})${hint}`;
}

/** The failure message of a check whose every property held but some rule tested nothing. */
export function formatUncovered(scenario: string, agent: string | undefined, coverage: CheckCoverage): string {
  const who = agent === undefined ? '' : ` × ${agent}`;
  return [
    `[faultline] Scenario "${scenario}"${who}: every property held, but ${coverage.unmatched.length} fault rule${coverage.unmatched.length === 1 ? '' : 's'} tested nothing.`,
    '',
    ...coverage.unmatched.map((u) => `  ${u.rule}: ${unmatchedSentence(u, coverage)}`),
    '',
    ...formatCoverage(coverage),
    '',
    '  Fix the target (targets are globs over yield points: llm:<model>, tool:<name>, mcp:<server>, store:<name>, http:<host>),',
    '  or mark a rule that may legitimately match nothing with `optional: true`.',
  ].join('\n');
}
