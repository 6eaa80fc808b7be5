// The tables at the bottom of the HTML report: store history (the operations a failed property
// names highlighted), every span, every mark. The timeline links into them by anchor. Very long
// runs are cut at MAX_ROWS rows per table; the JSON report always has everything.
import { spansOf } from '../harness/sim/trace.ts';
import { html, joinHtml, type SafeHtml } from './html.ts';
import type { Report } from './reportSchema.ts';
import { formatMs, traceOf } from './timelineModel.ts';

const MAX_ROWS = 2_000;

function cut<T>(rows: readonly T[]): { shown: readonly T[]; note: SafeHtml } {
  if (rows.length <= MAX_ROWS) return { shown: rows, note: html`` };
  return { shown: rows.slice(0, MAX_ROWS), note: html`<p class="muted">Showing the first ${MAX_ROWS} of ${rows.length}; the JSON report has them all.</p>` };
}

/** A value for a table cell: a string as it is (people read text, not JSON escapes), else compact JSON. */
function brief(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

/** The history ops named by failed verdicts. */
export function violatingOps(report: Report): Set<number> {
  return new Set(report.verdicts.flatMap((v) => (v.ok ? [] : [...(v.ops ?? [])])));
}

export function historyHtml(report: Report): SafeHtml {
  if (report.history.length === 0) return html``;
  const bad = violatingOps(report);
  const { shown, note } = cut(report.history);
  const rows = shown.map(
    (h) =>
      html`<tr id="op-${h.index}" class="${bad.has(h.index) ? 'violating' : ''}"><td class="num">${h.index}</td><td class="num">${formatMs(h.t)}</td><td>${h.process}</td><td>${h.type}</td><td>${h.store}</td><td>${h.f}</td><td class="mono">${h.key}</td><td class="mono wrap">${brief(h.value)}</td><td class="num">${h.version ?? ''}</td></tr>`,
  );
  return html`<section id="history"><h2>Store history</h2>${note}<table><thead><tr><th class="num">#</th><th class="num">t</th><th>actor</th><th>type</th><th>store</th><th>op</th><th>key</th><th>value</th><th class="num">version</th></tr></thead><tbody>${joinHtml(rows)}</tbody></table></section>`;
}

export function spansTableHtml(report: Report, violatingSpans: ReadonlySet<number>): SafeHtml {
  const spans = spansOf(traceOf(report));
  const { shown, note } = cut(spans);
  const calls = new Map((report.toolCalls ?? []).flatMap((c) => (c.span === undefined ? [] : [[c.span, c] as const])));
  const rows = shown.map((s) => {
    const call = calls.get(s.span);
    // A tool span shows what the agent sent and got back; the trace itself holds only digests.
    const data =
      call === undefined
        ? Object.keys(s.data).length === 0
          ? ''
          : brief(s.data)
        : html`<div class="tool-args">args ${brief(call.args)}</div>${call.outcome === 'ok' ? html`<div class="tool-result">→ ${brief(call.result)}</div>` : call.outcome === 'error' ? html`<div class="tool-error">✗ ${brief(call.error)}</div>` : ''}`;
    return html`<tr id="span-${s.span}" class="${violatingSpans.has(s.span) ? 'violating' : ''}"><td class="num">${s.span}</td><td class="num">${s.parent ?? ''}</td><td>${s.actor}</td><td>${s.kind}</td><td class="mono">${s.target}</td><td class="num">${formatMs(s.start)}</td><td class="num">${s.end === undefined ? '' : formatMs(s.end - s.start)}</td><td>${s.outcome}</td><td class="mono wrap">${data}</td></tr>`;
  });
  return html`<section id="spans"><details open><summary>Spans (${spans.length})</summary>${note}<table><thead><tr><th class="num">#</th><th class="num">parent</th><th>actor</th><th>kind</th><th>target</th><th class="num">start</th><th class="num">duration</th><th>outcome</th><th>data</th></tr></thead><tbody>${joinHtml(rows)}</tbody></table></details></section>`;
}

export function marksTableHtml(report: Report): SafeHtml {
  const marks = report.trace.filter((e) => e.type === 'mark');
  if (marks.length === 0) return html``;
  const { shown, note } = cut(marks);
  const rows = shown.map(
    (m) =>
      html`<tr class="${m.name === 'fault' ? 'fault-row' : ''}"><td class="num">${formatMs(m.t)}</td><td>${m.name}</td><td>${m.actor ?? ''}</td><td class="num">${m.span === undefined ? '' : html`<a href="#span-${m.span}">#${m.span}</a>`}</td><td class="mono wrap">${brief(m.data)}</td></tr>`,
  );
  return html`<section id="marks"><details open><summary>Marks (${marks.length})</summary>${note}<table><thead><tr><th class="num">t</th><th>mark</th><th>actor</th><th class="num">span</th><th>data</th></tr></thead><tbody>${joinHtml(rows)}</tbody></table></details></section>`;
}

/** Fault coverage: per rule, the calls it matched, fired on and changed; rules that tested nothing stand out. */
export function coverageHtml(report: Report): SafeHtml {
  const coverage = report.coverage;
  if (coverage === undefined || coverage.rules.length === 0) return html``;
  const unmatched = new Map(coverage.unmatched.map((u) => [u.rule, u]));
  const rows = coverage.rules.map((r) => {
    const missing = unmatched.get(r.rule);
    const note =
      missing !== undefined
        ? `matched no yield point${missing.nearest === undefined ? '' : `; did you mean ${missing.nearest}?`}`
        : r.fired > 0 && r.changed === 0
          ? `never changed anything${r.noEffect.length > 0 ? `: ${r.noEffect.join('; ')}` : ''}`
          : !r.visited
            ? 'optional; matched nothing'
            : '';
    const cls = missing !== undefined ? 'violating' : note === '' ? '' : 'idle-rule';
    return html`<tr class="${cls}" data-rule="${r.rule}"><td class="mono">${r.rule}</td><td>${r.kind}</td><td class="mono">${r.target}</td><td class="num">${r.matched}</td><td class="num">${r.fired}</td><td class="num">${r.changed}</td><td class="wrap">${note}</td></tr>`;
  });
  const had = Object.keys(coverage.targets);
  return html`<section id="coverage"><h2>Fault coverage</h2><p class="muted">Over ${coverage.runs} run${coverage.runs === 1 ? '' : 's'}; yield points visited: <span class="mono">${had.join(', ') || 'none'}</span></p><table class="coverage"><thead><tr><th>rule</th><th>kind</th><th>target</th><th class="num">matched</th><th class="num">fired</th><th class="num">changed</th><th></th></tr></thead><tbody>${joinHtml(rows)}</tbody></table></section>`;
}
