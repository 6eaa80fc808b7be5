// The index page across reports: one row per report, grouped by scenario, what needs attention first
// (a failure, or a sample agent that did not do what it was expected to), with
// outcome and verdict badges and a link to each report's HTML file. Links are relative paths the
// writer chose; anything that looks like a URL with a scheme is refused rather than linked.
import { html, joinHtml, type SafeHtml } from './html.ts';
import { outcomeBadge, page, passBadge } from './htmlPage.ts';
import { redactReport } from './jsonReport.ts';
import type { Report } from './reportSchema.ts';
import { formatUsd } from './spendChart.ts';
import { formatMs } from './timelineModel.ts';

export interface IndexEntry {
  /** The report's HTML file, relative to the index page. */
  readonly href: string;
  readonly report: Report;
}

/** A relative link, percent-encoded per path segment; `javascript:`, `http:` and the like become '#'. */
export function safeHref(href: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') || href.includes('\\')) return '#';
  return href
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * Whether the report is as it should be: for a sample agent with an expectation, whether the
 * expectation held (a naive agent is meant to fail); otherwise whether it passed.
 */
export function asExpected(r: Report): boolean {
  if (r.untested !== undefined) return false;
  return r.expected === 'fail' ? !r.passed : r.passed;
}

/** The result cell: green when as expected, red when not, saying which. */
function resultBadge(r: Report): SafeHtml {
  if (r.untested !== undefined) return html`<span class="badge fail" title="${r.untested}">TESTED NOTHING</span>`;
  if (r.expected === undefined) return passBadge(r.passed);
  const held = asExpected(r);
  const text = r.passed ? (held ? 'passed, as expected' : 'passed, expected to fail') : held ? 'failed, as expected' : 'FAILED, expected to pass';
  return html`<span class="badge ${held ? 'pass' : 'fail'}" data-expected="${r.expected}">${text}</span>`;
}

function rowHtml(entry: IndexEntry): SafeHtml {
  const r = entry.report;
  const verdicts = r.verdicts.map((v) => html`<span class="badge ${v.ok ? 'pass' : 'fail'}" title="${v.message}">${v.property}</span>`);
  return html`<tr class="${asExpected(r) ? '' : 'violating'}" data-scenario="${r.scenario.name}" data-agent="${r.agent ?? ''}">
<td><a href="${safeHref(entry.href)}">${r.scenario.name}</a>${r.scenario.failureMode === undefined ? '' : html`<div class="muted">${r.scenario.failureMode}</div>`}</td>
<td>${r.agent ?? ''}</td><td>${resultBadge(r)}</td><td>${outcomeBadge(r.outcome)}</td>
<td><div class="badges">${verdicts.length === 0 ? html`<span class="muted">none</span>` : joinHtml(verdicts)}</div></td>
<td class="num">${r.seed}</td><td class="num">${r.runs === undefined ? '' : `${r.runs.failed}/${r.runs.total}`}</td>
<td class="num">${formatMs(r.virtualTimeMs)}</td><td class="num">${formatUsd(r.spend.usd)}</td></tr>`;
}

/** The index page as one self-contained HTML document. */
export function indexHtml(reports: readonly IndexEntry[], title = 'Faultline reports'): string {
  const entries = reports.map((e) => ({ href: e.href, report: redactReport(e.report) }));
  // Failures first, then by scenario and agent, so the page opens on what needs attention.
  const sorted = [...entries].sort(
    (a, b) =>
      Number(asExpected(a.report)) - Number(asExpected(b.report)) ||
      a.report.scenario.name.localeCompare(b.report.scenario.name) ||
      (a.report.agent ?? '').localeCompare(b.report.agent ?? ''),
  );
  const broken = entries.filter((e) => !asExpected(e.report)).length;
  const withExpectations = entries.some((e) => e.report.expected !== undefined);
  const summary = withExpectations
    ? passBadge(broken === 0, `${entries.length - broken} of ${entries.length} expectations held`, `${broken} expectation${broken === 1 ? '' : 's'} broken`)
    : passBadge(broken === 0, 'all passed', `${broken} failed`);
  const scenarios = new Set(entries.map((e) => e.report.scenario.name)).size;
  const body = html`<header><h1>${title}</h1>
<div class="badges">${summary}<span class="badge info">${entries.length} report${entries.length === 1 ? '' : 's'}</span><span class="badge info">${scenarios} scenario${scenarios === 1 ? '' : 's'}</span></div></header>
<section id="reports"><table class="index"><thead><tr><th>scenario</th><th>agent</th><th>result</th><th>outcome</th><th>properties</th><th class="num">seed</th><th class="num">runs failed</th><th class="num">virtual time</th><th class="num">spend</th></tr></thead>
<tbody>${joinHtml(sorted.map(rowHtml))}</tbody></table></section>`;
  return page(title, body);
}
