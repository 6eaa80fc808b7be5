// The failure message of a property check: which property failed and why, the minimal fault plan
// as JSON (or, when the shrink was cut short, the plan it reached and why it is not minimal), the interleaving, a short excerpt of the trace around the violation, and the exact
// command that replays it (STYLE.md: a failure message is a reproduction).
import { canonicalJson } from '../sim/canonicalJson.ts';
import type { StrategyOptions } from '../sim/strategy.ts';
import type { TraceEvent } from '../sim/trace.ts';
import type { CheckReport } from './checkScenario.ts';
import { formatCoverage, unmatchedSentence } from './coverage.ts';
import { describeEvent, spanNames } from './divergence.ts';
import type { Scenario } from './scenario.ts';

function excerpt(trace: readonly TraceEvent[], spans: readonly number[] | undefined, size = 14): string[] {
  let end = trace.length;
  const focus = spans?.[0];
  if (focus !== undefined) {
    const at = trace.findIndex((e) => (e.type === 'span.start' || e.type === 'span.end' || e.type === 'mark') && e.span === focus);
    if (at >= 0) end = Math.min(trace.length, at + Math.ceil(size / 2));
  }
  // Digests of what the agent read ('observed' marks) are for the hash, not for people.
  const interesting = trace
    .slice(0, end)
    .filter((e) => e.type !== 'run.start' && !(e.type === 'span.start' && e.kind === 'actor') && !(e.type === 'mark' && e.name === 'observed'));
  const names = spanNames(trace);
  return interesting.slice(-size).map((e) => `    t=${String(e.t).padStart(6)}ms  ${describeEvent(e, names)}`);
}

export function formatFailure(scenario: Pick<Scenario, 'name'>, report: Omit<CheckReport, 'message'>): string {
  const c = report.counterexample;
  if (c === undefined) return `${scenario.name} failed, but no counterexample was kept.`;
  const agent = report.agent === undefined ? '' : ` × ${report.agent}`;
  const cut = report.shrinkCut;
  const lines = [
    `[faultline] Scenario "${scenario.name}"${agent} failed ${c.failed.map((v) => v.property).join(', ')} ` +
      `on run ${report.firstFailureAt ?? '?'} of ${report.runs} (${cut === undefined ? 'shrunk' : 'shrink cut short'} in ${report.shrinkSteps} steps).`,
    '',
    ...c.failed.map((v) => `  ${v.property}: ${v.message}`),
    '',
    ...(cut === undefined ? [] : [`  Not minimal: ${cut.message}.`, '']),
    `  ${cut === undefined ? 'Minimal fault plan' : 'Fault plan'} (${c.case.plan.length} rule${c.case.plan.length === 1 ? '' : 's'}):`,
    ...JSON.stringify(c.case.plan, null, 2)
      .split('\n')
      .map((l) => `    ${l}`),
    `  Seed: ${report.seed}${report.path === undefined ? '' : `, case ${report.path}`}    Schedule: ${scheduleText(c.case.schedule)}`,
    ...(c.input === undefined ? [] : [`  Input: ${canonicalJson(c.input).slice(0, 300)}`]),
    `  Outcome: ${c.result.outcome} — ${c.result.message}`,
    '',
    '  Trace around the violation:',
    ...excerpt(c.result.trace, c.failed.find((v) => v.spans !== undefined)?.spans),
    '',
    ...formatCoverage(report.coverage),
    ...(report.coverage.unmatched.length === 0 ? [] : ['', ...report.coverage.unmatched.map((u) => `  ✗ ${u.rule}: ${unmatchedSentence(u, report.coverage)}`)]),
    '',
    report.replay === undefined ? `  Replay: fast-check seed ${report.seed}, path ${report.path ?? '?'}` : `  Replay:\n    ${report.replay}`,
  ];
  return lines.join('\n');
}

function scheduleText(schedule: StrategyOptions): string {
  if (schedule.kind === 'replay') {
    const turns = schedule.choices.filter((x) => x !== '').length;
    return turns === 0 ? 'first-in-first-out' : `first-in-first-out except ${turns} turn${turns === 1 ? '' : 's'}: ${JSON.stringify(schedule.choices)}`;
  }
  return schedule.kind === 'pct' ? `pct depth ${schedule.depth}` : schedule.kind;
}
