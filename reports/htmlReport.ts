// The HTML report of one run: what an engineer opens when a seed fails at 2 a.m. From the top:
// did it pass, how the run ended, the command that replays it, which properties failed and why,
// the timeline (who did what when, where faults hit, which spans the failure involves), spend over
// virtual time, the fault plan, and the raw history, spans and marks for digging further.
// The report itself is embedded as JSON so tools can read it back out of the page.
import { spansOf } from '../harness/sim/trace.ts';
import { html, joinHtml, jsonInScript, type SafeHtml } from './html.ts';
import { outcomeBadge, page, passBadge } from './htmlPage.ts';
import { coverageHtml, historyHtml, marksTableHtml, spansTableHtml } from './htmlTables.ts';
import { redactReport } from './jsonReport.ts';
import type { Report } from './reportSchema.ts';
import { formatUsd, spendChartHtml } from './spendChart.ts';
import { timelineHtml } from './timelineHtml.ts';
import { buildTimeline, formatMs, spansOfOps, traceOf } from './timelineModel.ts';

/** The whole report as one self-contained HTML document. */
export function reportHtml(input: Report): string {
  const report = redactReport(input);
  const timeline = buildTimeline(report);
  const title = `${report.passed ? 'passed' : 'FAILED'} · ${report.scenario.name}${report.agent === undefined ? '' : ` × ${report.agent}`} · seed ${report.seed}`;
  const body = html`${headerHtml(report)}
${verdictsHtml(report)}
${timelineHtml(timeline, report)}
${stuckHtml(report)}
${spendChartHtml(report, timeline.totalMs)}
<section id="faults"><h2>Fault plan</h2>${report.faults.length === 0 ? html`<p class="muted">No faults: the run was fault-free.</p>` : html`<pre class="fault-plan">${JSON.stringify(report.faults, null, 2)}</pre>`}</section>
${coverageHtml(report)}
${historyHtml(report)}
${outputHtml(report)}
${spansTableHtml(report, timeline.violatingSpans)}
${marksTableHtml(report)}
<script type="application/json" id="faultline-report">${jsonInScript(report)}</script>`;
  return page(title, body);
}

function headerHtml(report: Report): SafeHtml {
  const s = report.scenario;
  return html`<header>
<h1>${s.name}${report.agent === undefined ? '' : html` <span class="muted">×</span> ${report.agent}`}</h1>
${s.description === undefined ? '' : html`<p class="muted">${s.description}</p>`}
<div class="badges">${report.untested === undefined ? passBadge(report.passed) : passBadge(false, '', 'TESTED NOTHING')}${outcomeBadge(report.outcome)}
<span class="badge info">seed ${report.seed}</span>
<span class="badge info">${formatMs(report.virtualTimeMs)} virtual</span>
<span class="badge info">${formatUsd(report.spend.usd)} · ${report.spend.calls} LLM call${report.spend.calls === 1 ? '' : 's'}${(report.spend.attempts ?? report.spend.calls) > report.spend.calls ? ` (${report.spend.attempts} requests)` : ''}</span>
<span class="badge info">${report.faults.length} fault rule${report.faults.length === 1 ? '' : 's'}</span>
${s.failureMode === undefined ? '' : html`<span class="badge info">failure mode: ${s.failureMode}</span>`}
${report.runs === undefined ? '' : html`<span class="badge info">${runsText(report.runs)}</span>`}
<span class="badge info mono" title="trace hash">${report.traceHash.slice(0, 16)}</span></div>
${report.untested === undefined ? '' : html`<p class="message fail" id="untested">${report.untested}</p>`}
${report.runs?.shrinkCut === undefined ? '' : html`<p class="message" id="shrink-cut">Not minimal: ${report.runs.shrinkCut}.</p>`}
<p class="message${report.outcome === 'ok' ? '' : ' fail'}" id="message">${report.message}</p>
<h2>Replay</h2>
${report.replay === undefined ? html`<p class="muted">No replay command was recorded; rerun with seed ${report.seed} and the fault plan below.</p>` : html`<pre class="replay" id="replay"><code>${report.replay}</code></pre>`}
</header>`;
}

function runsText(runs: NonNullable<Report['runs']>): string {
  const parts = [`${runs.failed}/${runs.total} runs failed`];
  if (runs.firstFailureAt !== undefined) parts.push(`first at run ${runs.firstFailureAt}`);
  if (runs.shrinkSteps !== undefined) parts.push(`shrunk in ${runs.shrinkSteps} step${runs.shrinkSteps === 1 ? '' : 's'}`);
  if (runs.shrinkCut !== undefined) parts.push('shrink cut short: not minimal');
  return parts.join(', ');
}

function verdictsHtml(report: Report): SafeHtml {
  if (report.verdicts.length === 0) {
    return html`<section id="verdicts"><h2>Properties</h2><p class="muted">No properties were checked; the run is judged by its outcome (${report.outcome}).</p></section>`;
  }
  const spans = spansOf(traceOf(report));
  const rows = report.verdicts.map((v) => {
    const involved = [...(v.spans ?? []), ...spansOfOps(report, v.ops ?? [], spans)];
    const spanLinks = [...new Set(involved)].map((id) => html`<a href="#span-${id}">#${id}</a> `);
    const opLinks = (v.ops ?? []).map((op) => html`<a href="#op-${op}">op ${op}</a> `);
    return html`<tr class="${v.ok ? '' : 'violating'}" data-property="${v.property}"><td>${v.ok && v.vacuous !== undefined ? html`<span class="badge info" title="${v.vacuous}">vacuous</span>` : passBadge(v.ok, 'held', 'violated')}</td><td class="mono">${v.property}</td><td class="wrap">${v.message}</td><td>${joinHtml(spanLinks)}${joinHtml(opLinks)}</td></tr>`;
  });
  return html`<section id="verdicts"><h2>Properties</h2><table class="verdicts"><thead><tr><th></th><th>property</th><th>verdict</th><th>involves</th></tr></thead><tbody>${joinHtml(rows)}</tbody></table></section>`;
}

/** Deadlock cycles, blocked actors and harness problems: why a run got stuck or went astray. */
function stuckHtml(report: Report): SafeHtml {
  const parts: SafeHtml[] = [];
  if (report.cycle !== undefined) {
    parts.push(html`<p class="message fail"><strong>Wait-for cycle</strong> (formed at ${formatMs(report.cycle.formedAt)}): ${report.cycle.sentence}</p>`);
  }
  if (report.blocked.length > 0) {
    parts.push(html`<ul class="blocked-list">${joinHtml(report.blocked.map((b) => html`<li><strong>${b.actor}</strong>: ${b.explanation}</li>`))}</ul>`);
  }
  if (report.problems.length > 0) {
    parts.push(
      html`<ul class="problems">${joinHtml(report.problems.map((p) => html`<li><span class="badge fail">${p.kind}</span> ${formatMs(p.t)}${p.actor === undefined ? '' : html` · ${p.actor}`}: <span class="wrap">${p.message}</span></li>`))}</ul>`,
    );
  }
  if (report.heal !== undefined) {
    parts.push(
      html`<p class="message${report.heal.outcome === 'ok' ? '' : ' fail'}"><strong>Heal phase</strong> (${report.heal.outcome}, ended at ${formatMs(report.heal.endedAt)}): ${report.heal.message}</p>`,
    );
  }
  if (parts.length === 0) return html``;
  return html`<section id="stuck"><h2>What went wrong around the agent</h2>${joinHtml(parts)}</section>`;
}

/** What the agent returned or threw, and the final store states. */
function outputHtml(report: Report): SafeHtml {
  const rows: SafeHtml[] = [];
  if (report.error !== undefined) rows.push(html`<h3>The agent threw</h3><pre class="agent-error">${report.error}</pre>`);
  if (report.value !== undefined) rows.push(html`<h3>The agent returned</h3><pre class="agent-value">${JSON.stringify(report.value, null, 2)}</pre>`);
  if (Object.keys(report.stores).length > 0) rows.push(html`<h3>Final store state</h3><pre class="stores">${JSON.stringify(report.stores, null, 2)}</pre>`);
  if (rows.length === 0) return html``;
  return html`<section id="output"><h2>Output</h2>${joinHtml(rows)}</section>`;
}
