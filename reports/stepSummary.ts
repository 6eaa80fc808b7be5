// GitHub Actions' job summary: when GITHUB_STEP_SUMMARY names a file, each failing check appends a
// short markdown section to it (the property and its reason, the minimal fault plan, the replay
// command, the report), so the failure reads on the run's page without opening a log. Text from
// the run is untrusted: it goes into code spans with its backticks and line breaks neutralised,
// after redaction, so neither markup nor a credential reaches the page.
import { appendFileSync } from 'node:fs';
import type { CheckReport } from '../harness/check/checkScenario.ts';
import { redactText } from './redact.ts';

/** `text` as one inline code span that nothing inside it can close or break. */
function code(text: string): string {
  const flat = redactText(text).replace(/\r?\n/g, ' ⏎ ').replace(/`/g, 'ʼ').slice(0, 800);
  return `\`${flat}\``;
}

/** The markdown section for one failing check. */
export function stepSummaryMarkdown(check: CheckReport, reportFile?: string): string {
  const c = check.counterexample;
  const failed = c?.failed ?? [];
  const who = check.agent === undefined ? '' : ` × ${check.agent}`;
  const lines = [
    `### ❌ Faultline: ${code(check.scenario + who)} failed ${failed.map((v) => code(v.property)).join(', ')}`,
    '',
    ...failed.map((v) => `- ${code(v.property)}: ${code(v.message)}`),
    ...(c === undefined
      ? []
      : [`- Minimal fault plan (${c.case.plan.length} rule${c.case.plan.length === 1 ? '' : 's'}): ${code(JSON.stringify(c.case.plan))}`]),
    `- Found at run ${check.firstFailureAt ?? '?'} of ${check.runs}, seed ${check.seed}${check.path === undefined ? '' : `, case ${check.path}`}`,
    ...(check.replay === undefined ? [] : [`- Replay: ${code(check.replay)}`]),
    ...(reportFile === undefined ? [] : [`- Report: ${code(reportFile)}`]),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Appends the section for a failing check to GITHUB_STEP_SUMMARY, when it is set. Appends are one
 * write each, so parallel workers' sections do not interleave. Returns whether it wrote.
 */
export function appendStepSummary(check: CheckReport, reportFile?: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === '' || check.ok) return false;
  appendFileSync(file, stepSummaryMarkdown(check, reportFile));
  return true;
}
